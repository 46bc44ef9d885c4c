// The bulk job queue in the worker role: a poller claims queued jobs (or takes
// over one whose worker stopped heartbeating) and runs them one at a time. A
// job created in this process nudges the poller, so a small audience is done
// before its progress page has loaded. Tests call drainBulkJobs() directly.
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { newWorkerId } from '../import/worker.js';
import { Poller } from '../../whatsapp/poller.js';
import { claimNextBulkJob, failBulkJob } from './jobs.js';
import { runBulkJob, SimulatedCrash, type BulkDeps, type BulkRunOptions } from './run.js';

export const DEFAULT_STALE_MS = 60_000;
/** How often an idle worker looks for jobs created by another process. */
export const POLL_MS = 1_000;

function failureOf(err: unknown): string {
  if (err instanceof DomainError) return JSON.stringify({ code: err.code, params: err.params });
  return JSON.stringify({ code: 'contacts.bulk.failed_internal' });
}

/** Claim and run jobs until none is left; returns how many ran. */
export async function drainBulkJobs(deps: BulkDeps, opts: Partial<BulkRunOptions> = {}): Promise<number> {
  const run: BulkRunOptions = { ...opts, workerId: opts.workerId ?? newWorkerId() };
  const staleMs = run.staleMs ?? DEFAULT_STALE_MS;
  let n = 0;
  for (;;) {
    if (run.signal?.aborted) return n;
    const job = await claimNextBulkJob(deps.db, run.workerId, deps.clock.now(), staleMs);
    if (!job) return n;
    n++;
    try {
      await runBulkJob(deps, job, run);
    } catch (err) {
      // A crash, or a shutdown that closed the database mid-batch: the claim goes stale and the job resumes later.
      if (err instanceof SimulatedCrash || run.signal?.aborted) throw err;
      deps.log.error({ err, jobId: job.id }, 'bulk job failed');
      await failBulkJob(deps.db, job.id, run.workerId, deps.clock.now(), failureOf(err));
    }
  }
}

const pollers = new WeakMap<Deps, Poller>();

/** Poll for bulk jobs until stopped; stopping lets the batch in flight commit and gives the claim back. */
export function startBulkWorker(deps: Deps, intervalMs = POLL_MS): { stop(): Promise<void> } {
  const abort = new AbortController();
  const workerId = newWorkerId();
  const poller = new Poller('contacts-bulk', intervalMs, () => drainBulkJobs(deps, { workerId, signal: abort.signal }), deps.log).start();
  pollers.set(deps, poller);
  return {
    async stop() {
      abort.abort();
      pollers.delete(deps);
      await poller.stop();
    },
  };
}

/** New work in this process: run it now rather than at the next poll. */
export function nudgeBulkWorker(deps: Deps): void {
  pollers.get(deps)?.nudge();
}
