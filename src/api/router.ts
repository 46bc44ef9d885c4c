// The /api router. Mounted before sessions and CSRF: the API authenticates
// with bearer keys and answers every outcome, errors included, with JSON.
//   context → public routes → bearer auth → per-key rate limit → JSON body
//   → declared routes → 405 → 404 → error envelope
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { DEFAULT_RATE_LIMIT } from '../api-keys/service.js';
import type { Deps } from '../deps.js';
import { TooManyRequests } from '../errors.js';
import { errorHandler, HttpError, notFound } from '../web/errors.js';
import { parse } from '../web/validate.js';
import { apiContext, assertScope, bearerAuth } from './auth.js';
import { API_FEATURES } from './features.js';
import { Idempotency, idempotencyKeyOf, requestHash, type ApiResult } from './idempotency.js';
import { registerOpenApiRoute } from './openapi-route.js';
import { ApiRegistry, expressPath, type AnyRouteDef } from './registry.js';

export const BODY_LIMIT = '1mb';

export function buildRegistry(deps: Deps): ApiRegistry {
  const registry = new ApiRegistry();
  registerOpenApiRoute(registry, deps);
  for (const feature of API_FEATURES) feature(registry.route, deps);
  return registry;
}

function hasBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

function validated(def: AnyRouteDef, req: Request) {
  if (def.body && hasBody(req) && !req.is('application/json')) throw new HttpError(415, 'api.json_required');
  return {
    params: def.params ? parse(def.params, req.params) : undefined,
    query: def.query ? parse(def.query, req.query) : undefined,
    body: def.body ? parse(def.body, req.body ?? {}) : undefined,
  };
}

function handlerFor(def: AnyRouteDef, idempotency: Idempotency): RequestHandler {
  return async (req: Request, res: Response) => {
    if (!def.public && def.scope) assertScope(req.apiKey, def.scope);
    const idemKey = def.method === 'post' ? idempotencyKeyOf(req) : undefined;
    const input = validated(def, req);
    const work = async (): Promise<ApiResult> => {
      const out = await def.handler({ req, res, key: req.apiKey, ...input });
      // Only what the response schema declares goes out (unknown keys are dropped).
      return { status: def.status ?? 200, body: def.response.parse(out) };
    };
    // An upload is read first so its digest is part of the request an Idempotency-Key stands for.
    const received = def.receive ? await def.receive(req, res) : undefined;
    let result: ApiResult & { replayed: boolean };
    try {
      result = idemKey && req.apiKey
        ? await idempotency.run(req.apiKey.id, idemKey, requestHash(req, received?.digest), work)
        : { ...(await work()), replayed: false };
    } finally {
      await received?.release();
    }
    if (res.headersSent) return; // the handler streamed a file itself (exports, downloads)
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(result.status).json(result.body);
  };
}

function mount(router: Router, defs: readonly AnyRouteDef[], idempotency: Idempotency): void {
  for (const def of defs) router[def.method](expressPath(def.path), handlerFor(def, idempotency));
}

/** A known path with another method: 405 with Allow, not a misleading 404. */
function methodNotAllowed(registry: ApiRegistry): RequestHandler {
  return (req, res, next) => {
    const methods = registry.methodsFor(req.path);
    if (!methods.length) return next();
    res.set('Allow', [...new Set(methods.flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()])))].join(', '));
    throw new HttpError(405, 'api.method_not_allowed', { method: req.method });
  };
}

/** Each key has its own budget per minute (its own limit, or the default). */
function perKeyLimit(): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: (req: Request) => req.apiKey?.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT,
    keyGenerator: (req: Request) => `apikey:${req.apiKey?.id ?? 0}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new TooManyRequests('errors.rate_limited')),
  });
}

export function apiRouter(deps: Deps): Router {
  const registry = buildRegistry(deps);
  const idempotency = new Idempotency(deps);
  const v1 = Router();
  mount(v1, registry.routes.filter((d) => d.public), idempotency);
  v1.use(bearerAuth(deps));
  v1.use(perKeyLimit());
  v1.use(express.json({ limit: BODY_LIMIT }));
  mount(v1, registry.routes.filter((d) => !d.public), idempotency);
  v1.use(methodNotAllowed(registry));

  const api = Router();
  api.use(apiContext(deps));
  api.use('/v1', v1);
  api.use(notFound);
  api.use(errorHandler(deps.log));
  return api;
}
