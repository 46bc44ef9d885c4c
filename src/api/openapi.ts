// The OpenAPI 3.1 document, generated from the route registry and the very
// zod schemas the routes validate with (JSON Schema 2020-12 is OpenAPI 3.1's
// schema dialect), so the document cannot drift from the code.
import { z } from 'zod';
import { API_ERROR_CODES } from '../web/errors.js';
import { pathParamNames, type AnyRouteDef } from './registry.js';

type Json = Record<string, unknown>;

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.enum(Object.values(API_ERROR_CODES) as [string, ...string[]]).meta({ description: 'Stable, switch on it.' }),
    message: z.string().meta({ description: 'For people: English, or Spanish with `Accept-Language: es`.' }),
    details: z.record(z.string(), z.unknown()).optional()
      .meta({ description: '`fields` (per-field errors) on 422, `required_scope` on 403, `reason` (a specific code) when known.' }),
  }),
});

const ERROR_RESPONSES: Record<string, [string, string]> = {
  400: ['BadRequest', 'Malformed request, such as a body that is not valid JSON.'],
  401: ['Unauthorized', 'Missing, unknown or revoked API key.'],
  403: ['Forbidden', 'The key lacks the scope this operation requires (`details.required_scope`).'],
  404: ['NotFound', 'No such resource.'],
  409: ['Conflict', 'The Idempotency-Key was used with a different request, or that request is still running.'],
  413: ['PayloadTooLarge', 'The body is over 1 MB (an upload: over the limit its operation states).'],
  415: ['UnsupportedMediaType', 'The body must be `application/json`.'],
  422: ['ValidationFailed', 'Invalid parameters or body; `details.fields` says which and why.'],
  429: ['RateLimited', 'Too many requests for this key; retry after the `Retry-After` seconds.'],
  500: ['Internal', 'Unexpected error, logged with the request id.'],
};

// Noise zod adds that says nothing to a reader: the ISO regex beside format
// date-time, and ±2^53 bounds on every integer.
function tidy(ctx: { jsonSchema: Json }): void {
  const s = ctx.jsonSchema;
  if (s.format === 'date-time') delete s.pattern;
  if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
  if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
}

/**
 * zod → JSON Schema. Shared (`.meta({ id })`) and recursive schemas come out as
 * `$defs` and `$ref`s local to one schema; they are hoisted into
 * components.schemas (anonymous ones under a fresh name) and every `$ref`,
 * including a root self-reference `#`, is rewritten to point there.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', defs: Json): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', override: tidy }) as Json;
  delete out.$schema;
  const local = (out.$defs ?? {}) as Record<string, Json>;
  delete out.$defs;
  const fresh = () => {
    let i = 0;
    while (`Schema${i}` in defs) i += 1;
    defs[`Schema${i}`] = {}; // reserved now, filled below
    return `Schema${i}`;
  };
  const names = new Map(Object.keys(local).map((n) => [n, n.startsWith('__') ? fresh() : n]));
  let rootName: string | undefined;
  const fix = (ref: string): string => {
    if (ref === '#') return `#/components/schemas/${(rootName ??= fresh())}`;
    const m = /^#\/\$defs\/(.+)$/.exec(ref);
    return m ? `#/components/schemas/${names.get(m[1]!) ?? m[1]}` : ref;
  };
  const body = rewriteRefs(out, fix) as Json;
  for (const [name, def] of Object.entries(local)) defs[names.get(name)!] = rewriteRefs(def, fix);
  if (!rootName) return body;
  defs[rootName] = body;
  return { $ref: `#/components/schemas/${rootName}` };
}

function rewriteRefs(v: unknown, fix: (ref: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, fix));
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? fix(x) : rewriteRefs(x, fix)]));
}

function parametersOf(def: AnyRouteDef, defs: Json): Json[] {
  const params: Json[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input', defs);
    const props = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required ?? []) as string[]);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = s;
      params.push({ name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  };
  add(def.params, 'path');
  add(def.query, 'query');
  for (const name of pathParamNames(def.path)) {
    if (!params.some((p) => p.in === 'path' && p.name === name)) params.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (def.method === 'post') {
    params.push({
      name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 },
      description: 'Retry-safe POST: the same key with the same request within 24 h returns the first response.',
    });
  }
  return params;
}

function errorStatuses(def: AnyRouteDef): number[] {
  const s = new Set<number>([500]);
  if (!def.public) [401, 429].forEach((x) => s.add(x));
  if (def.scope) s.add(403);
  if (def.params) s.add(404);
  if (def.params || def.query || def.body) s.add(422);
  if (def.body) [400, 413, 415].forEach((x) => s.add(x));
  if (def.receive) s.add(413);
  if (def.method === 'post') s.add(409);
  return [...s].sort();
}

export function operationId(def: AnyRouteDef): string {
  const words = def.path.split(/[/._-]/).filter(Boolean).map((w) => {
    const m = /^\{(.+)\}$/.exec(w);
    const word = m ? `By_${m[1]}` : w;
    return word.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  });
  return def.method + words.join('');
}

function operationOf(def: AnyRouteDef, defs: Json): Json {
  const status = String(def.status ?? 200);
  const responses: Json = {
    [status]: { description: 'Success.', content: def.produces
      ? Object.fromEntries(def.produces.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]))
      : { 'application/json': { schema: jsonSchema(def.response, 'output', defs) } } },
  };
  for (const code of errorStatuses(def)) responses[String(code)] = { $ref: `#/components/responses/${ERROR_RESPONSES[code]![0]}` };
  const scopeText = def.public ? 'No API key needed.' : def.scope ? `Requires scope \`${def.scope}\`.` : 'Any valid API key.';
  return {
    operationId: operationId(def),
    summary: def.summary,
    description: [def.description, scopeText].filter(Boolean).join('\n\n'),
    tags: def.tags,
    parameters: parametersOf(def, defs),
    ...(def.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.body, 'input', defs) } } } } : {}),
    ...(def.consumes ? { requestBody: { required: true, content: Object.fromEntries(def.consumes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) } } : {}),
    responses,
    security: def.public ? [] : [{ bearerAuth: [] }],
    ...(def.public ? {} : { 'x-required-scope': def.scope }),
  };
}

function components(defs: Json): Json {
  const responses = Object.fromEntries(Object.values(ERROR_RESPONSES).map(([name, description]) => [
    name, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  ]));
  return {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'cf_live_…', description: 'An API key from Settings → API or `chatflow apikey create`.' } },
    schemas: { ...defs, Error: jsonSchema(ErrorEnvelope, 'output', defs) },
    responses,
  };
}

export type DocumentInfo = { brandName: string; serverUrl: string; appVersion: string };

export function openApiDocument(routes: readonly AnyRouteDef[], info: DocumentInfo): Json {
  const defs: Json = {};
  const paths: Record<string, Json> = {};
  for (const def of routes) (paths[def.path] ??= {})[def.method] = operationOf(def, defs);
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.brandName} API`,
      version: '1.0.0',
      description: `REST API of ${info.brandName} (server ${info.appVersion}). Authenticate with \`Authorization: Bearer <API key>\`. Lists are cursor-paginated (\`limit\`, \`cursor\` → \`next_cursor\`). Errors are \`{"error":{"code","message","details"}}\`.`,
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: components(defs),
  };
}
