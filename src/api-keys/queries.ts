import type { Db } from '../db/knex.js';
import { date, dateOrNull, json, toJson } from '../db/rows.js';

export type ApiKey = {
  id: number;
  name: string;
  prefix: string; // the first characters of the key, enough to recognise it
  scopes: string[];
  createdBy: number | null;
  createdByName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  rateLimitPerMinute: number | null;
};

type Row = Record<string, unknown>;

const COLUMNS = [
  'api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.created_by', 'api_keys.created_at',
  'api_keys.last_used_at', 'api_keys.revoked_at', 'api_keys.rate_limit_per_minute', 'users.name as created_by_name',
];

function toApiKey(r: Row): ApiKey {
  return {
    id: Number(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    scopes: json<string[]>(r.scopes, []),
    createdBy: r.created_by === null || r.created_by === undefined ? null : Number(r.created_by),
    createdByName: (r.created_by_name as string | null | undefined) ?? null,
    createdAt: date(r.created_at),
    lastUsedAt: dateOrNull(r.last_used_at),
    revokedAt: dateOrNull(r.revoked_at),
    rateLimitPerMinute: r.rate_limit_per_minute === null || r.rate_limit_per_minute === undefined ? null : Number(r.rate_limit_per_minute),
  };
}

function selectKeys(db: Db) {
  return db('api_keys').leftJoin('users', 'users.id', 'api_keys.created_by').select(COLUMNS);
}

export type NewApiKeyRow = {
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  createdBy: number | null;
  rateLimitPerMinute: number | null;
};

export async function insertApiKey(db: Db, k: NewApiKeyRow, now: number): Promise<number> {
  const [row] = await db('api_keys')
    .insert({
      name: k.name,
      prefix: k.prefix,
      key_hash: k.keyHash,
      scopes: toJson(k.scopes),
      created_by: k.createdBy,
      created_at: now,
      rate_limit_per_minute: k.rateLimitPerMinute,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function apiKeyById(db: Db, id: number): Promise<ApiKey | undefined> {
  const r = await selectKeys(db).where('api_keys.id', id).first();
  return r ? toApiKey(r) : undefined;
}

/** The key whose hash is `keyHash`, with that hash for a constant-time recheck. */
export async function apiKeyByHash(db: Db, keyHash: string): Promise<(ApiKey & { keyHash: string }) | undefined> {
  const r = await selectKeys(db).select('api_keys.key_hash').where('api_keys.key_hash', keyHash).first();
  return r ? { ...toApiKey(r), keyHash: String(r.key_hash) } : undefined;
}

/** Active keys first, newest first: the list is short, no pagination. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await selectKeys(db).orderBy('api_keys.id', 'desc');
  const keys = rows.map(toApiKey);
  return [...keys.filter((k) => !k.revokedAt), ...keys.filter((k) => k.revokedAt)];
}

export async function markRevoked(db: Db, id: number, now: number): Promise<void> {
  await db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: now });
}

/** Records use, but only when the stored time is older than `minGapMs`: no write per request. */
export async function touchLastUsed(db: Db, id: number, now: number, minGapMs: number): Promise<boolean> {
  const n = await db('api_keys')
    .where({ id })
    .andWhere((w) => w.whereNull('last_used_at').orWhere('last_used_at', '<=', now - minGapMs))
    .update({ last_used_at: now });
  return Number(n) > 0;
}
