// Runs one claimed bulk job to the end: takes the next frozen ids after the
// cursor, applies the action and moves the cursor, all in one transaction per
// batch. After a crash the next owner starts after the last committed batch;
// the batch that was in flight rolled back whole, so nothing is applied twice.
import type { Deps } from '../../deps.js';
import { applyBatch } from './actions.js';
import { advanceBulkJob, finishBulkJob, heartbeatBulkJob, nextItems, releaseBulkJob, type BulkJob, type BulkProgress } from './jobs.js';
import { recordFinished } from './audit.js';

export type BulkRunOptions = {
  workerId: string;
  /** Contacts per transaction (at least 500; default 1000). */
  batchSize?: number;
  staleMs?: number;
  onProgress?: (p: BulkProgress & { total: number; jobId: number }) => void;
  /** Test hook: throw (as a crash would) after this many committed batches. */
  crashAfterBatches?: number;
  /** Shutdown: stop after the current batch and give the claim back. */
  signal?: AbortSignal;
};

/** What running a job needs (the benchmarks pass just these). */
export type BulkDeps = Pick<Deps, 'db' | 'clock' | 'events' | 'log'>;

export const MIN_BATCH = 500;
export const DEFAULT_BATCH = 1000;

export class LostClaim extends Error {}
export class SimulatedCrash extends Error {}

/** One batch: ids after `p.cursor`, applied and the cursor moved in one transaction; null when none are left. */
async function commitBatch(deps: BulkDeps, job: BulkJob, p: BulkProgress, size: number, workerId: string): Promise<{ next: BulkProgress; optedOut: number[] } | null> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const ids = await nextItems(trx, job.id, p.cursor, size);
    if (!ids.length) return null;
    const r = await applyBatch(trx, job, ids, { now, userId: job.createdBy });
    const next = { cursor: ids[ids.length - 1]!, processed: p.processed + ids.length, affected: p.affected + r.affected };
    if (!(await advanceBulkJob(trx, job.id, workerId, p.cursor, next, now))) throw new LostClaim();
    return { next, optedOut: r.optedOut };
  });
}

/** Run `job` (already claimed by opts.workerId) until it is done, stopped or taken away. */
export async function runBulkJob(deps: BulkDeps, job: BulkJob, opts: BulkRunOptions): Promise<'done' | 'lost' | 'stopped'> {
  const size = Math.max(MIN_BATCH, opts.batchSize ?? DEFAULT_BATCH);
  const staleMs = opts.staleMs ?? 60_000;
  const beat = setInterval(() => void heartbeatBulkJob(deps.db, job.id, opts.workerId, deps.clock.now()).catch(() => undefined), Math.max(250, staleMs / 3));
  beat.unref();
  let p: BulkProgress = { cursor: job.cursor, processed: job.processed, affected: job.affected };
  let batches = 0;
  try {
    for (;;) {
      if (opts.signal?.aborted) {
        await releaseBulkJob(deps.db, job.id, opts.workerId);
        return 'stopped';
      }
      const out = await commitBatch(deps, job, p, size, opts.workerId);
      if (!out) break;
      p = out.next;
      for (const contactId of out.optedOut) deps.events.emit('contact.opted_out', { contactId, source: job.source === 'api' ? 'api' : 'agent' });
      opts.onProgress?.({ ...p, total: job.total, jobId: job.id });
      if (opts.crashAfterBatches !== undefined && ++batches >= opts.crashAfterBatches) throw new SimulatedCrash();
    }
    if (!(await finishBulkJob(deps.db, job.id, opts.workerId, deps.clock.now()))) return 'lost';
    await recordFinished(deps, job, p);
    return 'done';
  } catch (err) {
    if (err instanceof LostClaim) return 'lost';
    throw err;
  } finally {
    clearInterval(beat);
  }
}
