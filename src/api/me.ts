// GET /api/v1/me: the calling key and the install it belongs to, so an
// integration can check its access and the plan in one call.
import { z } from 'zod';
import { DEFAULT_RATE_LIMIT } from '../api-keys/service.js';
import type { Deps } from '../deps.js';
import { Unauthorized } from '../errors.js';
import { readSettings } from '../settings/service.js';
import type { ApiFeature } from './registry.js';
import { iso, IsoDateTime } from './schemas.js';

const MeResponse = z.object({
  key: z.object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, as shown in Settings → API.' }),
    scopes: z.array(z.string()),
    rate_limit_per_minute: z.number().int(),
    created_at: IsoDateTime,
    last_used_at: IsoDateTime.nullable(),
  }),
  install: z.object({
    brand: z.object({ name: z.string() }),
    company: z.object({ name: z.string(), timezone: z.string(), locale: z.string() }),
    plan: z.object({
      plan: z.string(),
      source: z.string(),
      state: z.string(),
      ends_at: IsoDateTime.nullable(),
      days_left: z.number().int().nullable(),
      limits: z.record(z.string(), z.number().int().nullable()).meta({ description: 'null means unlimited.' }),
      features: z.array(z.string()),
    }),
  }),
});

async function install(deps: Deps) {
  const brand = deps.brand.get();
  const settings = await readSettings(deps.db, { timezone: deps.config.timezone, locale: brand.defaultLocale });
  const e = await deps.plans.entitlement();
  return {
    brand: { name: brand.name },
    company: { name: settings.companyName, timezone: settings.timezone, locale: settings.locale },
    plan: {
      plan: e.plan, source: e.source, state: e.state,
      ends_at: e.endsAt ? new Date(e.endsAt).toISOString() : null,
      days_left: e.daysLeft ?? null, limits: e.limits, features: [...e.features],
    },
  };
}

export const meApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get',
    path: '/me',
    summary: 'The calling API key and its install',
    tags: ['meta'],
    scope: null,
    response: MeResponse,
    handler: async ({ key }) => {
      if (!key) throw new Unauthorized('api.key_missing');
      return {
        key: {
          id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes,
          rate_limit_per_minute: key.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT,
          created_at: iso(key.createdAt), last_used_at: iso(key.lastUsedAt),
        },
        install: await install(deps),
      };
    },
  });
};
