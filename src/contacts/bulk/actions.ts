// One batch of a bulk job, inside the caller's transaction: the action is
// applied to the frozen ids that still exist, and only where it changes
// something (a contact already tagged, untagged or opted out is left alone),
// so "affected" counts real changes and the ledger and timeline get one row
// per change. The batch commits together with the job's cursor, so a crash
// replays the whole batch or none of it.
import type { Db } from '../../db/knex.js';
import { DomainError } from '../../errors.js';
import { tagById } from '../tags-queries.js';
import type { BulkJob } from './jobs.js';

/** Rows per multi-row INSERT: knex writes them on SQLite as one compound SELECT, capped at 500 terms. */
const INSERT_CHUNK = 500;

export type BatchContext = { now: number; userId: number | null };
export type BatchResult = { affected: number; optedOut: number[] };

async function insertChunked(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db(table).insert(rows.slice(i, i + INSERT_CHUNK));
}

async function existing(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  return (await db('contacts').select('id').whereIn('id', ids).orderBy('id')).map((r: { id: number }) => Number(r.id));
}

async function taggedAmong(db: Db, tagId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db('contact_tags').select('contact_id').where({ tag_id: tagId }).whereIn('contact_id', ids);
  return new Set(rows.map((r: { contact_id: number }) => Number(r.contact_id)));
}

function changeRows(job: BulkJob, ids: number[], ctx: BatchContext) {
  const summary = JSON.stringify({ fields: ['tags'], bulk: job.id, [job.action === 'tag' ? 'added' : 'removed']: job.params.tagName ?? null });
  return ids.map((contact_id) => ({ contact_id, kind: 'change', ref: null, summary, user_id: ctx.userId, at: ctx.now }));
}

/** The tag a tag/untag job works with; a tag deleted while the job runs fails the job with a readable reason. */
async function jobTag(db: Db, job: BulkJob): Promise<number> {
  const tag = job.params.tagId === undefined ? undefined : await tagById(db, job.params.tagId);
  if (!tag) throw new DomainError('contacts.bulk.tag_gone', 'The tag was deleted', undefined, { tag: job.params.tagName ?? '' });
  return tag.id;
}

async function tagBatch(db: Db, job: BulkJob, ids: number[], ctx: BatchContext): Promise<BatchResult> {
  const tagId = await jobTag(db, job);
  const have = await taggedAmong(db, tagId, ids);
  const fresh = ids.filter((id) => !have.has(id));
  await insertChunked(db, 'contact_tags', fresh.map((contact_id) => ({ contact_id, tag_id: tagId })));
  await insertChunked(db, 'contact_activity', changeRows(job, fresh, ctx));
  return { affected: fresh.length, optedOut: [] };
}

async function untagBatch(db: Db, job: BulkJob, ids: number[], ctx: BatchContext): Promise<BatchResult> {
  const tagId = await jobTag(db, job);
  const had = [...(await taggedAmong(db, tagId, ids))].sort((a, b) => a - b);
  if (had.length) await db('contact_tags').where({ tag_id: tagId }).whereIn('contact_id', had).delete();
  await insertChunked(db, 'contact_activity', changeRows(job, had, ctx));
  return { affected: had.length, optedOut: [] };
}

async function optOutBatch(db: Db, job: BulkJob, ids: number[], ctx: BatchContext): Promise<BatchResult> {
  if (!ids.length) return { affected: 0, optedOut: [] };
  const fresh = (await db('contacts').select('id').whereIn('id', ids).whereNot('opt_in', 'opted_out').orderBy('id'))
    .map((r: { id: number }) => Number(r.id));
  if (!fresh.length) return { affected: 0, optedOut: [] };
  const source = job.source === 'api' ? 'api' : 'agent';
  await db('contacts').whereIn('id', fresh).update({ opt_in: 'opted_out', opt_in_source: source, opt_in_at: ctx.now, updated_at: ctx.now });
  await insertChunked(db, 'consent_events', fresh.map((contact_id) => ({
    contact_id, status: 'opted_out', source, actor: job.actor, detail: `bulk:${job.id}`, at: ctx.now,
  })));
  const summary = JSON.stringify({ status: 'opted_out', source, bulk: job.id });
  await insertChunked(db, 'contact_activity', fresh.map((contact_id) => ({ contact_id, kind: 'consent', ref: null, summary, user_id: ctx.userId, at: ctx.now })));
  return { affected: fresh.length, optedOut: fresh };
}

/**
 * One DELETE for the batch: values, tags, notes, ledger and timeline go by
 * cascade, and the maintained contacts counter (triggers, migration 0008)
 * follows every delete statement, this one included.
 */
async function deleteBatch(db: Db, ids: number[]): Promise<BatchResult> {
  if (ids.length) await db('contacts').whereIn('id', ids).delete();
  return { affected: ids.length, optedOut: [] };
}

/** Applies `job`'s action to the frozen `ids` (ascending) that still exist. */
export async function applyBatch(db: Db, job: BulkJob, ids: number[], ctx: BatchContext): Promise<BatchResult> {
  const live = await existing(db, ids);
  switch (job.action) {
    case 'tag': return tagBatch(db, job, live, ctx);
    case 'untag': return untagBatch(db, job, live, ctx);
    case 'opt_out': return optOutBatch(db, job, live, ctx);
    case 'delete': return deleteBatch(db, live);
  }
}
