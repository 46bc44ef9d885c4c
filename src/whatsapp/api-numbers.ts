// REST API: business numbers (never their secrets) and the template library.
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage, whereAfter } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import { IdParams, iso } from '../api/schemas.js';
import { allNumbers, type WaNumber } from './numbers-queries.js';
import { getNumber } from './numbers-service.js';
import { componentOf, templateById, toTemplate, variablesOf, type LocalTemplate } from './templates-store.js';
import { syncTemplates } from './templates-sync.js';
import { NotFound } from '../errors.js';

export const ApiNumber = z.object({
  id: z.number().int(),
  label: z.string(),
  display_phone: z.string(),
  phone_number_id: z.string(),
  waba_id: z.string(),
  verified_name: z.string().nullable(),
  status: z.enum(['active', 'token_invalid', 'disabled']),
  is_sandbox: z.boolean(),
  quality_rating: z.string().nullable(),
  throughput_tier: z.string().nullable(),
  created_at: z.string(),
});

export function presentNumber(n: WaNumber): z.input<typeof ApiNumber> {
  return {
    id: n.id, label: n.label, display_phone: n.displayPhone, phone_number_id: n.phoneNumberId, waba_id: n.wabaId, verified_name: n.verifiedName,
    status: n.status, is_sandbox: n.isSandbox, quality_rating: n.qualityRating, throughput_tier: n.throughputTier, created_at: iso(new Date(n.createdAt)),
  };
}

export const ApiTemplate = z.object({
  id: z.number().int(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  status: z.string().meta({ description: 'Only APPROVED templates can be sent.' }),
  quality: z.string().nullable(),
  waba_id: z.string(),
  body: z.string(),
  variables: z.array(z.string()),
  parameter_format: z.enum(['positional', 'named']),
  components: z.array(z.record(z.string(), z.unknown())),
  rejected_reason: z.string().nullable(),
  updated_at: z.string(),
});

export function presentTemplate(t: LocalTemplate): z.input<typeof ApiTemplate> {
  const body = componentOf(t, 'BODY')?.text ?? '';
  return {
    id: t.id, name: t.name, language: t.language, category: t.category, status: t.status, quality: t.quality, waba_id: t.wabaId, body,
    variables: variablesOf(body), parameter_format: t.parameterFormat, components: t.components as unknown as Record<string, unknown>[],
    rejected_reason: t.rejectedReason, updated_at: iso(new Date(t.updatedAt)),
  };
}

const TemplatesQuery = PageQuery.extend({
  status: z.string().trim().toUpperCase().regex(/^[A-Z_]{3,20}$/).optional().meta({ description: 'Only this status, e.g. APPROVED.' }),
  number_id: z.coerce.number().int().positive().optional().meta({ description: "Only templates of this number's WhatsApp Business Account." }),
});

const SyncResult = z.object({
  wabas: z.number().int(), fetched: z.number().int(), created: z.number().int(), updated: z.number().int(), removed: z.number().int(),
  errors: z.array(z.object({ waba_id: z.string(), code: z.number().int().nullable(), message: z.string() })),
});

const numberRoutes: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/numbers', summary: 'List WhatsApp numbers', tags: ['whatsapp'], scope: 'inbox:read',
    description: 'Every business number, the built-in sandbox number included. Tokens and secrets are never returned.',
    response: z.object({ data: z.array(ApiNumber) }),
    handler: async () => ({ data: (await allNumbers(deps.db)).map(presentNumber) }),
  });
  apiRoute({
    method: 'get', path: '/numbers/{id}', summary: 'Get a WhatsApp number', tags: ['whatsapp'], scope: 'inbox:read',
    params: IdParams, response: ApiNumber,
    handler: async ({ params }) => presentNumber(await getNumber(deps, params.id)),
  });
};

const templateRoutes: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/templates', summary: 'List message templates', tags: ['whatsapp'], scope: 'templates:read',
    description: 'The local library synced from Meta, by id, cursor-paginated.',
    query: TemplatesQuery, response: pageOf(ApiTemplate),
    handler: async ({ query }) => {
      const q = deps.db('templates').select('*').orderBy('id').limit(query.limit + 1);
      if (query.status) q.where({ status: query.status });
      if (query.number_id) q.where({ waba_id: (await getNumber(deps, query.number_id)).wabaId });
      whereAfter(q, 'id', 'id', query.cursor ? decodeCursor(query.cursor) : undefined);
      return toPage((await q).map(toTemplate), query.limit, (t) => ({ key: t.id, id: t.id }), presentTemplate);
    },
  });
  apiRoute({
    method: 'get', path: '/templates/{id}', summary: 'Get a message template', tags: ['whatsapp'], scope: 'templates:read',
    params: IdParams, response: ApiTemplate,
    handler: async ({ params }) => {
      const t = await templateById(deps.db, params.id);
      if (!t) throw new NotFound('whatsapp.template_not_found');
      return presentTemplate(t);
    },
  });
  apiRoute({
    method: 'post', path: '/templates/sync', summary: 'Sync templates from Meta now', tags: ['whatsapp'], scope: 'templates:write',
    description: 'Pulls every template of every WhatsApp Business Account (all pages). Errors per account are reported, not thrown.',
    response: SyncResult,
    handler: async () => {
      const r = await syncTemplates(deps);
      return { ...r, errors: r.errors.map((e) => ({ waba_id: e.wabaId, code: e.code, message: e.message })) };
    },
  });
};

export const numbersApi: ApiFeature = (apiRoute, deps) => {
  numberRoutes(apiRoute, deps);
  templateRoutes(apiRoute, deps);
};
