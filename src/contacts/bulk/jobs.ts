// bulk_jobs and bulk_job_items queries: create with the frozen audience,
// read, claim (with stale-claim takeover), the cursor write that commits with
// each batch, and the end states. Rows stay snake_case here and become
// BulkJob objects for everyone else.
import type { Knex } from 'knex';
import { forUpdateSkipLocked, insertSelectedIds } from '../../db/dialect.js';
import type { Db } from '../../db/knex.js';
import { countOf, json, toJson } from '../../db/rows.js';
import type { Condition } from '../segments/condition.js';

export const BULK_ACTIONS = ['tag', 'untag', 'opt_out', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];
export type BulkSource = 'web' | 'api';

export type BulkParams = { tagId?: number; tagName?: string };
/** What the user saw: the compiled tree, the list's query string, the segment by name. */
export type FrozenAudience = { condition: Condition; query: string; segment: { id: number; name: string } | null };

export type BulkJob = {
  id: number;
  action: BulkAction;
  params: BulkParams;
  audience: FrozenAudience;
  status: BulkStatus;
  source: BulkSource;
  createdBy: number | null;
  actor: string;
  /** Contacts that matched at confirmation. */
  total: number;
  processed: number;
  affected: number;
  /** Last contact id done. */
  cursor: number;
  lockedBy: string | null;
  heartbeatAt: number | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
};

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toJob(r: Row): BulkJob {
  const p = json<{ tag_id?: number; tag_name?: string }>(r.params, {});
  return {
    id: Number(r.id), action: r.action as BulkAction,
    params: { ...(p.tag_id !== undefined ? { tagId: Number(p.tag_id) } : {}), ...(p.tag_name !== undefined ? { tagName: p.tag_name } : {}) },
    audience: json<FrozenAudience>(r.audience, { condition: { all: [] }, query: '', segment: null }),
    status: r.status as BulkStatus, source: r.source === 'api' ? 'api' : 'web', createdBy: n(r.created_by), actor: String(r.actor),
    total: Number(r.total), processed: Number(r.processed), affected: Number(r.affected), cursor: Number(r.cursor),
    lockedBy: (r.locked_by as string | null) ?? null, heartbeatAt: n(r.heartbeat_at), error: (r.error as string | null) ?? null,
    createdAt: Number(r.created_at), startedAt: n(r.started_at), finishedAt: n(r.finished_at),
  };
}

export type NewBulkJob = {
  action: BulkAction; params: BulkParams; audience: FrozenAudience; source: BulkSource;
  createdBy: number | null; actor: string; now: number;
};

/**
 * Inserts the job and freezes its audience: the ids `matching` selects are
 * copied into bulk_job_items by one INSERT … SELECT (one snapshot of the
 * contacts), and the job's total is their count. Call inside a transaction.
 */
export async function insertBulkJob(trx: Db, j: NewBulkJob, matching: Knex.QueryBuilder): Promise<number> {
  const [row] = await trx('bulk_jobs').insert({
    action: j.action, params: toJson({ tag_id: j.params.tagId, tag_name: j.params.tagName }), audience: toJson(j.audience),
    status: 'queued', source: j.source, created_by: j.createdBy, actor: j.actor.slice(0, 120), created_at: j.now,
  }, ['id']);
  const id = Number(typeof row === 'object' ? row.id : row);
  await insertSelectedIds(trx, 'bulk_job_items', { column: 'job_id', value: id }, 'contact_id', matching);
  const total = countOf(await trx('bulk_job_items').where({ job_id: id }).count({ count: '*' }).first());
  await trx('bulk_jobs').where({ id }).update({ total });
  return id;
}

export async function bulkJobById(db: Db, id: number): Promise<BulkJob | undefined> {
  const r = await db('bulk_jobs').where({ id }).first();
  return r ? toJob(r) : undefined;
}

/** Queued and running jobs, oldest first (the contacts list shows them). */
export async function activeBulkJobs(db: Db, limit = 10): Promise<BulkJob[]> {
  return (await db('bulk_jobs').whereIn('status', ['queued', 'running']).orderBy('id').limit(limit)).map(toJob);
}

export async function recentBulkJobs(db: Db, limit = 20): Promise<BulkJob[]> {
  return (await db('bulk_jobs').orderBy('id', 'desc').limit(limit)).map(toJob);
}

/** The oldest queued job, or a running one whose worker stopped heartbeating: the new owner resumes after `cursor`. */
export async function claimNextBulkJob(db: Knex, workerId: string, now: number, staleMs: number): Promise<BulkJob | undefined> {
  return db.transaction(async (trx) => {
    const pick = trx('bulk_jobs').select('id').where((w) => {
      w.where('status', 'queued').orWhere((x) => x.where('status', 'running').andWhere('heartbeat_at', '<', now - staleMs));
    }).orderBy('id').limit(1);
    const [row] = await forUpdateSkipLocked(trx, pick);
    if (!row) return undefined;
    await trx('bulk_jobs').where({ id: row.id }).update({ status: 'running', locked_by: workerId, heartbeat_at: now });
    await trx('bulk_jobs').where({ id: row.id }).whereNull('started_at').update({ started_at: now });
    return toJob((await trx('bulk_jobs').where({ id: row.id }).first())!);
  });
}

export async function heartbeatBulkJob(db: Db, id: number, workerId: string, now: number): Promise<boolean> {
  return (await db('bulk_jobs').where({ id, locked_by: workerId, status: 'running' }).update({ heartbeat_at: now })) === 1;
}

/** The next `limit` frozen contact ids after `cursor`, ascending. */
export async function nextItems(db: Db, jobId: number, cursor: number, limit: number): Promise<number[]> {
  const rows = await db('bulk_job_items').select('contact_id').where({ job_id: jobId }).andWhere('contact_id', '>', cursor)
    .orderBy('contact_id').limit(limit);
  return rows.map((r: { contact_id: number }) => Number(r.contact_id));
}

export type BulkProgress = { cursor: number; processed: number; affected: number };

/**
 * Moves the cursor in the batch's own transaction and drops the items done.
 * The guard on locked_by, status and the previous cursor makes a worker that
 * lost its claim, or a cancelled job, roll its batch back instead of applying
 * it twice.
 */
export async function advanceBulkJob(trx: Db, id: number, workerId: string, fromCursor: number, p: BulkProgress, now: number): Promise<boolean> {
  const moved = await trx('bulk_jobs').where({ id, locked_by: workerId, status: 'running', cursor: fromCursor })
    .update({ cursor: p.cursor, processed: p.processed, affected: p.affected, heartbeat_at: now });
  if (moved !== 1) return false;
  await trx('bulk_job_items').where({ job_id: id }).andWhere('contact_id', '<=', p.cursor).delete();
  return true;
}

export async function finishBulkJob(db: Db, id: number, workerId: string, now: number): Promise<boolean> {
  const done = await db('bulk_jobs').where({ id, locked_by: workerId, status: 'running' })
    .update({ status: 'done', finished_at: now, locked_by: null });
  return done === 1;
}

export async function failBulkJob(db: Db, id: number, workerId: string, now: number, error: string): Promise<void> {
  await db('bulk_jobs').where({ id, locked_by: workerId }).update({ status: 'failed', error: error.slice(0, 2000), finished_at: now, locked_by: null });
  await dropItems(db, id);
}

/** Stops a job: the batch in flight rolls back, committed batches stay. */
export async function cancelBulkJob(db: Db, id: number, now: number): Promise<boolean> {
  const n = await db('bulk_jobs').where({ id }).whereIn('status', ['queued', 'running'])
    .update({ status: 'cancelled', finished_at: now, locked_by: null });
  if (n === 1) await dropItems(db, id);
  return n === 1;
}

/** A worker shutting down gives its claim back, so the next one resumes at once. */
export async function releaseBulkJob(db: Db, id: number, workerId: string): Promise<void> {
  await db('bulk_jobs').where({ id, locked_by: workerId, status: 'running' }).update({ heartbeat_at: 0 });
}

export async function dropItems(db: Db, jobId: number): Promise<void> {
  await db('bulk_job_items').where({ job_id: jobId }).delete();
}
