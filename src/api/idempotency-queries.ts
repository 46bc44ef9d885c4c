import type { Db } from '../db/knex.js';

export type IdempotencyRecord = {
  id: number;
  requestHash: string;
  statusCode: number | null; // null while the first request is still running
  responseBody: string | null;
  createdAt: number;
};

export async function idempotencyRecord(db: Db, apiKeyId: number, key: string): Promise<IdempotencyRecord | undefined> {
  const r = await db('api_idempotency').where({ api_key_id: apiKeyId, idempotency_key: key }).first();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    requestHash: String(r.request_hash),
    statusCode: r.status_code === null ? null : Number(r.status_code),
    responseBody: (r.response_body as string | null) ?? null,
    createdAt: Number(r.created_at),
  };
}

/** Claims the key: the new row's id, or null when another request claimed it first (unique index). */
export async function claimIdempotencyKey(db: Db, apiKeyId: number, key: string, requestHash: string, now: number): Promise<number | null> {
  const rows = await db('api_idempotency')
    .insert({ api_key_id: apiKeyId, idempotency_key: key, request_hash: requestHash, created_at: now })
    .onConflict(['api_key_id', 'idempotency_key'])
    .ignore()
    .returning('id');
  const row = rows[0];
  return row === undefined ? null : Number(typeof row === 'object' ? row.id : row);
}

export async function completeIdempotencyKey(db: Db, id: number, statusCode: number, responseBody: string): Promise<void> {
  await db('api_idempotency').where({ id }).update({ status_code: statusCode, response_body: responseBody });
}

export async function releaseIdempotencyKey(db: Db, apiKeyId: number, key: string): Promise<void> {
  await db('api_idempotency').where({ api_key_id: apiKeyId, idempotency_key: key }).delete();
}

export async function pruneIdempotency(db: Db, olderThan: number): Promise<number> {
  return Number(await db('api_idempotency').where('created_at', '<', olderThan).delete());
}
