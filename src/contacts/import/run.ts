// Runs one claimed import job to the end: reads the file from the resume
// point, validates each row, drops in-file duplicates and writes batches.
// Each batch is one transaction that also advances import_jobs.next_row and
// the counters, so after a crash the next owner skips exactly the committed
// rows (re-reading them only to rebuild the in-file duplicate set).
import fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Deps } from '../../deps.js';
import { sniffFile, records, type FileFormat, type ImportRecord } from '../import-reader.js';
import { advanceJob, finishJob, heartbeat, releaseJob, setRejectedPath, setTotalRows, type ImportJob, type Progress } from './jobs.js';
import { KeySet } from './key-set.js';
import { RejectedFile, type RejectedRow } from './rejected.js';
import { prepareRow, type Candidate, type RowContext } from './rows.js';
import { jobContext, rejectedPathFor, type JobContext } from './run-context.js';
import { scanCsv } from './csv-scan.js';
import { writeBatch } from './writer.js';
import { xlsxRowCount } from './xlsx-total.js';

export type RunOptions = {
  workerId: string;
  /** Rows per transaction (≥ 500 keeps commits cheap; default 1000). */
  batchSize?: number;
  staleMs?: number;
  /** The plan's contact limit; the benchmarks pass an unlimited one. */
  contactLimit?: () => Promise<number | null>;
  onProgress?: (p: Progress & { totalRows: number | null }) => void;
  /** Test hook: throw (as a crash would) after this many committed batches. */
  crashAfterBatches?: number;
  /** Shutdown: stop after the current batch and leave the job to be resumed. */
  signal?: AbortSignal;
};

export class LostClaim extends Error {}
export class Stopped extends Error {}
export class SimulatedCrash extends Error {}

type Batch = { from: number; to: number; candidates: Candidate[]; rejected: RejectedRow[] };

async function commitBatch(deps: Deps, ctx: JobContext, rej: RejectedFile, batch: Batch, p: Progress, opts: RunOptions): Promise<Progress> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const out = await writeBatch(trx, { ...ctx.write, now, contactLimit: await ctx.limit(trx) }, batch.candidates);
    const rejected = [...batch.rejected, ...out.rejected].sort((a, b) => a.rowNumber - b.rowNumber);
    await rej.append(rejected);
    await rej.flush(); // durable before the length that covers it commits
    const next: Progress = {
      nextRow: batch.to, inserted: p.inserted + out.inserted, updated: p.updated + out.updated,
      skipped: p.skipped + out.skipped, rejected: p.rejected + rejected.length, rejectedBytes: rej.length,
    };
    if (!(await advanceJob(trx, ctx.job.id, opts.workerId, batch.from, next, now))) throw new LostClaim();
    return next;
  });
}

/** Sort one record into the batch: a candidate, or a rejection (bad row, in-file duplicate). */
function classify(rec: ImportRecord, rows: RowContext, seen: KeySet, batch: Batch): void {
  const r = prepareRow(rec, rows);
  if (!r.ok) {
    batch.rejected.push({ rowNumber: r.rowNumber, values: r.values, reason: r.reason });
    return;
  }
  const first = seen.firstRowOrAdd(r.candidate.columns.wa_key, rec.rowNumber);
  if (first === undefined) batch.candidates.push(r.candidate);
  else batch.rejected.push({ rowNumber: rec.rowNumber, values: rec.values, reason: { code: 'import.reject.duplicate_in_file', params: { row: first } } });
}

/** Rows already committed: only their wa_keys matter, to spot later duplicates. */
function replay(rec: ImportRecord, rows: RowContext, seen: KeySet): void {
  const r = prepareRow(rec, rows);
  if (r.ok) seen.firstRowOrAdd(r.candidate.columns.wa_key, rec.rowNumber);
}

async function estimateTotal(deps: Deps, job: ImportJob, format: FileFormat): Promise<number | null> {
  if (job.totalRows !== null) return job.totalRows;
  let total: number;
  if (format.format === 'csv') {
    const { records: n } = await scanCsv(job.filePath, format.delimiter);
    total = Math.max(0, n - 1 - format.skipLines); // minus the header (an estimate: headerless files differ by one)
  } else {
    const rows = await xlsxRowCount(job.filePath); // the sheet's dimension, else its <row> count
    if (rows === null) return null;
    total = Math.max(0, rows - (job.mapping.hasHeader ? 1 : 0));
  }
  await setTotalRows(deps.db, job.id, total);
  return total;
}

/**
 * Commits batches one at a time, but reads and validates the next batch
 * while the previous one is being written: on Postgres the server works in
 * parallel with this process. A commit never starts before the previous one
 * has finished, so the resume point still moves batch by batch.
 */
class Committer {
  private pending: Promise<void> | undefined;
  private batches = 0;
  constructor(private p: Progress, private readonly go: (b: Batch, p: Progress) => Promise<Progress>, private readonly opts: RunOptions, private readonly totalRows: number | null) {}

  async submit(batch: Batch): Promise<void> {
    await this.settle();
    if (this.opts.signal?.aborted) throw new Stopped();
    const run = this.go(batch, this.p).then((next) => {
      this.p = next;
      this.opts.onProgress?.({ ...next, totalRows: this.totalRows });
      if (this.opts.crashAfterBatches !== undefined && ++this.batches >= this.opts.crashAfterBatches) throw new SimulatedCrash();
    });
    run.catch(() => undefined); // observed by settle(); never an unhandled rejection meanwhile
    this.pending = run;
  }

  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) await pending;
  }
}

async function processRows(deps: Deps, ctx: JobContext, rej: RejectedFile, format: FileFormat, opts: RunOptions): Promise<number> {
  const job = ctx.job;
  const size = Math.max(1, opts.batchSize ?? 1000);
  const totalRows = await estimateTotal(deps, job, format);
  const seen = new KeySet(totalRows ?? undefined);
  const start: Progress = { nextRow: job.nextRow, inserted: job.inserted, updated: job.updated, skipped: job.skipped, rejected: job.rejected, rejectedBytes: job.rejectedBytes };
  const committer = new Committer(start, (b, p) => commitBatch(deps, ctx, rej, b, p, opts), opts, totalRows);
  let index = 0;
  let batch: Batch = { from: job.nextRow, to: job.nextRow, candidates: [], rejected: [] };
  for await (const rec of records(job.filePath, { format })) {
    if (index++ < job.nextRow) {
      replay(rec, ctx.rows, seen);
      continue;
    }
    classify(rec, ctx.rows, seen, batch);
    batch.to = index;
    if (batch.to - batch.from < size) continue;
    await committer.submit(batch);
    batch = { from: batch.to, to: batch.to, candidates: [], rejected: [] };
  }
  if (batch.to > batch.from) await committer.submit(batch);
  await committer.settle();
  return index;
}

/** Run `job` (already claimed by opts.workerId) to completion. */
export async function runJob(deps: Deps, job: ImportJob, opts: RunOptions): Promise<'done' | 'lost' | 'stopped'> {
  const ctx = await jobContext(deps, job, opts.contactLimit);
  const format = await sniffFile(job.filePath);
  const path = job.rejectedPath ?? rejectedPathFor(deps, job.id);
  if (!job.rejectedPath) await setRejectedPath(deps.db, job.id, path);
  await fs.mkdir(dirname(path), { recursive: true });
  const rej = await RejectedFile.open(path, job.rejectedBytes, {
    headers: ctx.headers, delimiter: format.format === 'csv' ? format.delimiter : ',', t: ctx.t,
  });
  const staleMs = opts.staleMs ?? 60_000;
  const beat = setInterval(() => void heartbeat(deps.db, job.id, opts.workerId, deps.clock.now()).catch(() => undefined), Math.max(250, staleMs / 3));
  beat.unref();
  try {
    const total = await processRows(deps, ctx, rej, format, opts);
    if (!(await finishJob(deps.db, job.id, opts.workerId, deps.clock.now(), total))) return 'lost';
    await ctx.finished(total);
    await fs.rm(job.filePath, { force: true }); // the upload held personal data; the rejected file keeps what is needed
    return 'done';
  } catch (err) {
    if (err instanceof LostClaim) return 'lost';
    if (err instanceof Stopped) {
      await releaseJob(deps.db, job.id, opts.workerId);
      return 'stopped';
    }
    throw err;
  } finally {
    clearInterval(beat);
    await rej.close();
  }
}
