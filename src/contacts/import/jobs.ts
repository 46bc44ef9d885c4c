// import_jobs queries: create, read, claim (with stale-claim takeover) and
// the progress write that commits together with each batch. Rows stay
// snake_case here and become ImportJob objects for everyone else.
import type { Knex } from 'knex';
import { forUpdateSkipLocked } from '../../db/dialect.js';
import type { Db } from '../../db/knex.js';
import { bool, json, toJson } from '../../db/rows.js';
import type { Locale } from '../../i18n/i18n.js';
import type { MappingTarget } from '../column-mapping.js';

export const DEDUPE_RULES = ['skip', 'fill_empty', 'overwrite'] as const;
export type DedupeRule = (typeof DEDUPE_RULES)[number];
export type JobStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type JobSource = 'web' | 'api' | 'cli';

export type MappedColumn = { index: number; header: string; target: MappingTarget };
export type JobMapping = { columns: MappedColumn[]; hasHeader: boolean };

export type ImportJob = {
  id: number;
  status: JobStatus;
  filePath: string;
  originalName: string;
  format: 'csv' | 'xlsx';
  mapping: JobMapping;
  dedupe: DedupeRule;
  defaultCountry: string | null;
  tags: string[];
  optIn: boolean;
  /** An estimate while the job runs (CSV record scan, XLSX sheet dimension or row count), exact once it is done. */
  totalRows: number | null;
  /** Data rows already committed: the job resumes by skipping this many records. */
  nextRow: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  rejectedPath: string | null;
  rejectedBytes: number;
  error: string | null;
  lockedBy: string | null;
  heartbeatAt: number | null;
  createdBy: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  locale: Locale;
  source: JobSource;
};

type Row = Record<string, unknown>;

function toJob(r: Row): ImportJob {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id), status: r.status as JobStatus, filePath: String(r.file_path), originalName: String(r.original_name),
    format: r.format === 'xlsx' ? 'xlsx' : 'csv', mapping: json<JobMapping>(r.mapping, { columns: [], hasHeader: true }),
    dedupe: r.dedupe as DedupeRule, defaultCountry: (r.default_country as string | null) ?? null,
    tags: json<string[]>(r.tags, []), optIn: bool(r.opt_in), totalRows: n(r.total_rows), nextRow: Number(r.next_row),
    inserted: Number(r.inserted), updated: Number(r.updated), skipped: Number(r.skipped), rejected: Number(r.rejected),
    rejectedPath: (r.rejected_path as string | null) ?? null, rejectedBytes: Number(r.rejected_bytes ?? 0),
    error: (r.error as string | null) ?? null, lockedBy: (r.locked_by as string | null) ?? null, heartbeatAt: n(r.heartbeat_at),
    createdBy: n(r.created_by), createdAt: Number(r.created_at), startedAt: n(r.started_at), finishedAt: n(r.finished_at),
    locale: r.locale === 'en' ? 'en' : 'es', source: (r.source as JobSource) ?? 'web',
  };
}

export type NewJob = {
  filePath: string; originalName: string; format: 'csv' | 'xlsx'; mapping: JobMapping; locale: Locale;
  source: JobSource; createdBy: number | null; now: number; defaultCountry: string | null;
};

export async function insertJob(db: Db, j: NewJob): Promise<number> {
  const [row] = await db('import_jobs').insert({
    status: 'uploaded', file_path: j.filePath, original_name: j.originalName.slice(0, 255), format: j.format,
    mapping: toJson(j.mapping), default_country: j.defaultCountry, locale: j.locale, source: j.source,
    created_by: j.createdBy, created_at: j.now,
  }, ['id']);
  return Number(typeof row === 'object' ? row.id : row);
}

export async function jobById(db: Db, id: number): Promise<ImportJob | undefined> {
  const r = await db('import_jobs').where({ id }).first();
  return r ? toJob(r) : undefined;
}

export async function recentJobs(db: Db, limit = 20): Promise<ImportJob[]> {
  const rows = await db('import_jobs').orderBy('id', 'desc').limit(limit);
  return rows.map(toJob);
}

export type JobSettings = { mapping: JobMapping; dedupe: DedupeRule; defaultCountry: string | null; tags: string[]; optIn: boolean; totalRows: number | null };

/** uploaded → queued with the options chosen on the preview. */
export async function queueJob(db: Db, id: number, s: JobSettings): Promise<boolean> {
  const n = await db('import_jobs').where({ id, status: 'uploaded' }).update({
    status: 'queued', mapping: toJson(s.mapping), dedupe: s.dedupe, default_country: s.defaultCountry,
    tags: toJson(s.tags), opt_in: s.optIn, total_rows: s.totalRows,
  });
  return n === 1;
}

/**
 * Take the oldest queued job, or a running one whose worker stopped
 * heartbeating (it crashed): the new owner resumes from next_row.
 */
export async function claimNextJob(db: Knex, workerId: string, now: number, staleMs: number, onlyId?: number): Promise<ImportJob | undefined> {
  return db.transaction(async (trx) => {
    const pick = trx('import_jobs').select('id').where((w) => {
      w.where('status', 'queued').orWhere((x) => x.where('status', 'running').andWhere('heartbeat_at', '<', now - staleMs));
    }).orderBy('id').limit(1);
    if (onlyId !== undefined) pick.andWhere('id', onlyId);
    const [row] = await forUpdateSkipLocked(trx, pick);
    if (!row) return undefined;
    await trx('import_jobs').where({ id: row.id }).update({ status: 'running', locked_by: workerId, heartbeat_at: now, error: null });
    await trx('import_jobs').where({ id: row.id }).whereNull('started_at').update({ started_at: now });
    return toJob((await trx('import_jobs').where({ id: row.id }).first())!);
  });
}

export async function heartbeat(db: Db, id: number, workerId: string, now: number): Promise<boolean> {
  return (await db('import_jobs').where({ id, locked_by: workerId, status: 'running' }).update({ heartbeat_at: now })) === 1;
}

export type Progress = { nextRow: number; inserted: number; updated: number; skipped: number; rejected: number; rejectedBytes: number };

/**
 * Advance the resume point in the batch's own transaction. The guard on
 * locked_by and the previous next_row makes a worker that lost its claim
 * (or a cancelled job) roll its batch back instead of writing it twice.
 */
export async function advanceJob(trx: Db, id: number, workerId: string, fromRow: number, p: Progress, now: number): Promise<boolean> {
  const n = await trx('import_jobs').where({ id, locked_by: workerId, status: 'running', next_row: fromRow }).update({
    next_row: p.nextRow, inserted: p.inserted, updated: p.updated, skipped: p.skipped, rejected: p.rejected,
    rejected_bytes: p.rejectedBytes, heartbeat_at: now,
  });
  return n === 1;
}

export async function setRejectedPath(db: Db, id: number, path: string): Promise<void> {
  await db('import_jobs').where({ id }).update({ rejected_path: path });
}

export async function setTotalRows(db: Db, id: number, total: number): Promise<void> {
  await db('import_jobs').where({ id }).update({ total_rows: total });
}

export async function finishJob(db: Db, id: number, workerId: string, now: number, total: number): Promise<boolean> {
  const n = await db('import_jobs').where({ id, locked_by: workerId, status: 'running' })
    .update({ status: 'done', total_rows: total, finished_at: now, locked_by: null });
  return n === 1;
}

export async function failJob(db: Db, id: number, workerId: string, now: number, error: string): Promise<void> {
  await db('import_jobs').where({ id, locked_by: workerId }).update({ status: 'failed', error: error.slice(0, 2000), finished_at: now, locked_by: null });
}

export async function cancelJob(db: Db, id: number, now: number): Promise<boolean> {
  const n = await db('import_jobs').where({ id }).whereIn('status', ['uploaded', 'queued', 'running'])
    .update({ status: 'cancelled', finished_at: now, locked_by: null });
  return n === 1;
}

/** A worker shutting down gives its claim back: the next worker resumes at once instead of waiting for staleness. */
export async function releaseJob(db: Db, id: number, workerId: string): Promise<void> {
  await db('import_jobs').where({ id, locked_by: workerId, status: 'running' }).update({ heartbeat_at: 0 });
}

/** Uploads nobody started (the preview was abandoned) older than `before`. */
export async function abandonedUploads(db: Db, before: number): Promise<ImportJob[]> {
  return (await db('import_jobs').where({ status: 'uploaded' }).andWhere('created_at', '<', before).orderBy('id').limit(500)).map(toJob);
}

/** Jobs a GDPR erasure must look at: any with a rejected-rows file, and any whose upload may still be on disk. */
export async function jobsWithFiles(db: Db): Promise<ImportJob[]> {
  return (await db('import_jobs').whereNotNull('rejected_path').orWhereIn('status', ['uploaded', 'failed']).orderBy('id')).map(toJob);
}

/** Queued or running jobs: their files are open and their rows may still create contacts. */
export async function activeJobCount(db: Db): Promise<number> {
  return Number((await db('import_jobs').whereIn('status', ['queued', 'running']).count({ n: '*' }).first())?.n ?? 0);
}

/** After an erasure rewrote a finished job's rejected file: its new length (the download reads up to it). */
export async function setRejectedBytes(db: Db, id: number, bytes: number): Promise<void> {
  await db('import_jobs').where({ id }).whereIn('status', ['done', 'failed', 'cancelled']).update({ rejected_bytes: bytes });
}
