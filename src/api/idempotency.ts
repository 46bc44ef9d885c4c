// `Idempotency-Key` on POST: the first request with a key runs and its
// response is kept for 24 hours; a retry with the same key and the same
// request gets that response again instead of doing the work twice. The same
// key with a different request is a client bug and gets 409.
import crypto from 'node:crypto';
import type { Request } from 'express';
import type { Deps } from '../deps.js';
import { Conflict, Invalid } from '../errors.js';
import {
  claimIdempotencyKey, completeIdempotencyKey, idempotencyRecord, pruneIdempotency, releaseIdempotencyKey,
} from './idempotency-queries.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60_000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/; // visible ASCII, as the IETF draft suggests

export type ApiResult = { status: number; body: unknown };

/** Stable JSON: object keys sorted, so key order never changes the hash. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** `bodyDigest`: for a route that reads its body itself (an upload), a digest of those bytes. */
export function requestHash(req: Request, bodyDigest?: string): string {
  const path = req.originalUrl.split('?')[0];
  const body = bodyDigest === undefined ? canonical(req.body) : `sha256:${bodyDigest}`;
  return crypto.createHash('sha256').update(`${req.method} ${path}\n${canonical(req.query)}\n${body}`).digest('hex');
}

export function idempotencyKeyOf(req: Request): string | undefined {
  const v = req.get('idempotency-key');
  if (v === undefined) return undefined;
  if (!KEY_SHAPE.test(v)) throw new Invalid({ 'Idempotency-Key': { code: 'api.idempotency_key_invalid' } });
  return v;
}

export class Idempotency {
  private lastPrune = 0;
  constructor(private readonly deps: Pick<Deps, 'db' | 'clock' | 'log'>) {}

  /** Runs `work` once per (key, Idempotency-Key); replays carry `replayed: true`. */
  async run(apiKeyId: number, key: string, hash: string, work: () => Promise<ApiResult>): Promise<ApiResult & { replayed: boolean }> {
    const { db, clock } = this.deps;
    const now = clock.now();
    await this.prune(now);
    const existing = await idempotencyRecord(db, apiKeyId, key);
    if (existing && existing.createdAt <= now - IDEMPOTENCY_TTL_MS) await releaseIdempotencyKey(db, apiKeyId, key);
    else if (existing) return { ...this.replay(existing, hash), replayed: true };
    const id = await claimIdempotencyKey(db, apiKeyId, key, hash, now);
    if (id === null) throw new Conflict('api.idempotency_in_progress');
    let result: ApiResult;
    try {
      result = await work();
    } catch (e) {
      // Nothing was done (or it was rolled back): free the key so a corrected retry can run.
      await releaseIdempotencyKey(db, apiKeyId, key);
      throw e;
    }
    await completeIdempotencyKey(db, id, result.status, JSON.stringify(result.body));
    return { ...result, replayed: false };
  }

  private replay(rec: { requestHash: string; statusCode: number | null; responseBody: string | null }, hash: string): ApiResult {
    if (rec.requestHash !== hash) throw new Conflict('api.idempotency_mismatch');
    if (rec.statusCode === null) throw new Conflict('api.idempotency_in_progress');
    return { status: rec.statusCode, body: JSON.parse(rec.responseBody ?? 'null') };
  }

  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < PRUNE_EVERY_MS && now >= this.lastPrune) return;
    this.lastPrune = now;
    try {
      await pruneIdempotency(this.deps.db, now - IDEMPOTENCY_TTL_MS);
    } catch (e) {
      this.deps.log.warn({ err: e }, 'idempotency prune failed');
    }
  }
}
