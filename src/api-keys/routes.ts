// Settings → API: list, create (the key is shown once, on the response to the
// create request, never stored or shown again) and revoke.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { checkedScopes, keyRow, scopeChoices } from './present.js';
import { NewApiKeyInput } from './schema.js';
import { allApiKeys, createApiKey, DEFAULT_RATE_LIMIT, grantableScopes, revokeApiKey } from './service.js';

const BASE = '/settings/api-keys';
const KeyId = z.coerce.number().int().positive().max(2 ** 31 - 1);

function idOf(req: Request): number {
  const r = KeyId.safeParse(req.params.id);
  if (!r.success) throw new NotFound('apikeys.not_found');
  return r.data;
}

function formData(req: Request) {
  return {
    title: req.t('apikeys.new.title'),
    groups: scopeChoices(grantableScopes({ role: req.user!.role }), req.t),
    defaultRateLimit: DEFAULT_RATE_LIMIT,
    checked: checkedScopes(req.body?.scopes),
  };
}

function timeZone(res: Response): string {
  return (res.locals.settings as { timezone: string }).timezone;
}

export function apiKeyRoutes(deps: Deps): Router {
  const r = Router();
  const guard = [requireUser, can('apikeys:manage')];

  r.get(BASE, ...guard, async (req, res) => {
    const keys = (await allApiKeys(deps)).map((k) => keyRow(k, req.t, req.locale, timeZone(res)));
    res.page('api-keys/index', { title: req.t('apikeys.title'), keys });
  });

  r.get(`${BASE}/new`, ...guard, (req, res) => {
    res.page('api-keys/new', { ...formData(req), values: { name: '', rate_limit: '' } });
  });

  r.post(BASE, ...guard, async (req, res) => {
    res.form('api-keys/new', formData(req));
    const input = parse(NewApiKeyInput, req.body);
    const { key, secret } = await createApiKey(deps, { userId: req.user!.id, role: req.user!.role }, input, req.audit);
    // The only response that ever carries the key: keep it out of every cache.
    res.set('Cache-Control', 'no-store');
    res.page('api-keys/created', {
      title: req.t('apikeys.created.title'), key: keyRow(key, req.t, req.locale, timeZone(res)), secret, apiBase: `${deps.config.publicUrl}/api/v1`,
    });
  });

  r.post(`${BASE}/:id/revoke`, ...guard, async (req, res) => {
    const { key, revoked } = await revokeApiKey(deps, idOf(req), req.audit);
    req.flash(revoked ? 'success' : 'info', revoked ? 'apikeys.revoked' : 'apikeys.already_revoked', { name: key.name });
    res.redirect(BASE);
  });

  return r;
}
