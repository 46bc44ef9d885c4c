// API keys: created once and shown once (`cf_live_…`), stored only as a
// sha256 hash, scoped with the same `feature:verb` strings as roles,
// revocable. Who may grant what is decided here, not in the routes.
import crypto from 'node:crypto';
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import { ALL_PERMISSIONS, roleHas, type Permission, type Role } from '../users/permissions.js';
import { apiKeyByHash, apiKeyById, insertApiKey, listApiKeys, markRevoked, touchLastUsed, type ApiKey } from './queries.js';
import type { NewApiKeyInput } from './schema.js';

export type { ApiKey };

export const KEY_PREFIX = 'cf_live_';
/** Requests per minute for a key without its own limit. */
export const DEFAULT_RATE_LIMIT = 600;
/** `last_used_at` is written at most this often per key. */
export const LAST_USED_GRANULARITY_MS = 60_000;

const KEY_FORMAT = /^cf_live_[A-Za-z0-9_-]{32,128}$/;

type KeysDeps = Pick<Deps, 'db' | 'clock'>;

/** 32 random bytes: 43 base64url characters after the prefix. */
export function generateSecret(): string {
  return KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
}

export function hashKey(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What lists show: `cf_live_ab12` (rendered with an ellipsis). */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + 4);
}

/** The CLI's default when no scopes are given: read-only access to everything readable. */
export function readScopes(): Permission[] {
  return ALL_PERMISSIONS.filter((p) => p.endsWith(':read'));
}

/** Scopes a creator may put on a key: a user only what their role holds; the CLI (server root) anything. */
export function grantableScopes(creator: { role: Role } | 'cli'): Permission[] {
  return creator === 'cli' ? [...ALL_PERMISSIONS] : ALL_PERMISSIONS.filter((p) => roleHas(creator.role, p));
}

/** Scopes grouped by feature (the part before the colon), in matrix order. */
export function scopeGroups(scopes: Permission[]): Array<{ feature: string; scopes: Permission[] }> {
  const groups = new Map<string, Permission[]>();
  for (const s of scopes) {
    const feature = s.split(':')[0]!;
    groups.set(feature, [...(groups.get(feature) ?? []), s]);
  }
  return [...groups].map(([feature, list]) => ({ feature, scopes: list }));
}

export type Creator = { userId: number; role: Role } | 'cli';

export async function createApiKey(deps: KeysDeps, creator: Creator, input: NewApiKeyInput, audit: Audit): Promise<{ key: ApiKey; secret: string }> {
  const allowed = grantableScopes(creator === 'cli' ? 'cli' : { role: creator.role });
  if (input.scopes.some((s) => !(allowed as string[]).includes(s))) throw new Invalid({ scopes: { code: 'apikeys.scope_not_allowed' } });
  const scopes = ALL_PERMISSIONS.filter((p) => input.scopes.includes(p)); // canonical order, no duplicates
  const secret = generateSecret();
  const prefix = visiblePrefix(secret);
  const id = await deps.db.transaction(async (trx) => {
    const newId = await insertApiKey(trx, {
      name: input.name, prefix, keyHash: hashKey(secret), scopes,
      createdBy: creator === 'cli' ? null : creator.userId, rateLimitPerMinute: input.rate_limit ?? null,
    }, deps.clock.now());
    await audit(trx, {
      action: 'apikey.created', entityType: 'api_key', entityId: newId,
      after: { name: input.name, prefix, scopes: scopes.join(' '), rate_limit_per_minute: input.rate_limit ?? DEFAULT_RATE_LIMIT },
    });
    return newId;
  });
  return { key: (await apiKeyById(deps.db, id))!, secret };
}

export async function getApiKey(deps: Pick<Deps, 'db'>, id: number): Promise<ApiKey> {
  const k = await apiKeyById(deps.db, id);
  if (!k) throw new NotFound('apikeys.not_found', { id });
  return k;
}

/** Revoking twice is harmless; the answer says whether this call did it. */
export async function revokeApiKey(deps: KeysDeps, id: number, audit: Audit): Promise<{ key: ApiKey; revoked: boolean }> {
  const key = await getApiKey(deps, id);
  if (key.revokedAt) return { key, revoked: false };
  await deps.db.transaction(async (trx) => {
    await markRevoked(trx, id, deps.clock.now());
    await audit(trx, { action: 'apikey.revoked', entityType: 'api_key', entityId: id, before: { name: key.name, revoked: false }, after: { name: key.name, revoked: true } });
  });
  return { key: await getApiKey(deps, id), revoked: true };
}

export async function allApiKeys(deps: Pick<Deps, 'db'>): Promise<ApiKey[]> {
  return listApiKeys(deps.db);
}

/**
 * The active key a bearer token names, 'revoked', or null for anything else.
 * The lookup is by hash, so the database never compares secrets; the hash is
 * compared again in constant time.
 */
export async function authenticateKey(deps: KeysDeps, token: string): Promise<ApiKey | 'revoked' | null> {
  if (!KEY_FORMAT.test(token)) return null;
  const hash = hashKey(token);
  const found = await apiKeyByHash(deps.db, hash);
  if (!found || !crypto.timingSafeEqual(Buffer.from(found.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  if (found.revokedAt) return 'revoked';
  const { keyHash: _hash, ...key } = found;
  const now = deps.clock.now();
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    if (await touchLastUsed(deps.db, key.id, now, LAST_USED_GRANULARITY_MS)) key.lastUsedAt = new Date(now);
  }
  return key;
}
