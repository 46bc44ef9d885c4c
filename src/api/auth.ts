// Who is calling the API: the request context (language, actor for the
// audit log), bearer-key authentication and the per-route scope check.
import type { Request, RequestHandler } from 'express';
import { auditAs } from '../audit/context.js';
import { authenticateKey } from '../api-keys/service.js';
import type { ApiKey } from '../api-keys/queries.js';
import type { Deps } from '../deps.js';
import { Forbidden, Unauthorized } from '../errors.js';
import { negotiate, translator } from '../i18n/i18n.js';
import type { Permission } from '../users/permissions.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The API key of an authenticated /api/v1 request. */
      apiKey?: ApiKey;
    }
  }
}

/** A key without the scope a route needs; the envelope names the scope. */
export class ScopeRequired extends Forbidden {
  override readonly details: { required_scope: Permission };
  constructor(scope: Permission) {
    super('api.scope_required', { scope });
    this.details = { required_scope: scope };
  }
}

/** API messages are English unless the client asks for Spanish. */
export function apiContext(deps: Deps): RequestHandler {
  return (req, _res, next) => {
    req.locale = negotiate(req.get('accept-language'), 'en');
    req.t = translator(deps.catalog, req.locale);
    req.actor = { userId: null, label: 'api:anonymous', ip: req.ip ?? null, requestId: String(req.id) };
    req.audit = auditAs(req.actor, deps.clock);
    next();
  };
}

function bearerToken(req: Request): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
  return m ? m[1]! : null;
}

export function bearerAuth(deps: Deps): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    if (!token) throw new Unauthorized('api.key_missing');
    const key = await authenticateKey(deps, token);
    if (key === 'revoked') throw new Unauthorized('api.key_revoked');
    if (!key) throw new Unauthorized('api.key_invalid');
    res.removeHeader('WWW-Authenticate');
    await deps.plans.requireFeature('rest_api'); // the plan seam decides whether this install has the API
    req.apiKey = key;
    // Audit entries made through the API name the key, never a person.
    req.actor = { userId: null, label: `apikey:${key.id} ${key.name}`, ip: req.ip ?? null, requestId: String(req.id) };
    req.audit = auditAs(req.actor, deps.clock);
    next();
  };
}

export function assertScope(key: ApiKey | undefined, scope: Permission): void {
  if (!key) throw new Unauthorized('api.key_missing');
  if (!key.scopes.includes(scope)) throw new ScopeRequired(scope);
}
