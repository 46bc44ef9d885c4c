// The import queue in the worker role: a poller claims queued jobs (or takes
// over one whose worker stopped heartbeating) and runs them one at a time.
// Tests and the CLI call drainImports() to run the same path in-process.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { claimNextJob, failJob, type ImportJob } from './jobs.js';
import { runJob, SimulatedCrash, type RunOptions } from './run.js';

export const DEFAULT_STALE_MS = 60_000;

export function newWorkerId(): string {
  return `${os.hostname().slice(0, 40)}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

/** The job's failure as stored: an i18n code (+ params) people can read. */
function failureOf(err: unknown): string {
  if (err instanceof DomainError) return JSON.stringify({ code: err.code, params: err.params });
  return JSON.stringify({ code: 'import.failed_internal' });
}

/** Run a claimed job; an unexpected error marks it failed (a crash leaves it to the stale-claim takeover). */
export async function runClaimed(deps: Deps, job: ImportJob, opts: RunOptions): Promise<'done' | 'lost' | 'stopped' | 'failed'> {
  try {
    return await runJob(deps, job, opts);
  } catch (err) {
    // A crash, or a shutdown that closed the database mid-batch: the job stays claimed and is resumed later.
    if (err instanceof SimulatedCrash || opts.signal?.aborted) throw err;
    deps.log.error({ err, jobId: job.id }, 'import job failed');
    await failJob(deps.db, job.id, opts.workerId, deps.clock.now(), failureOf(err));
    await fs.rm(job.filePath, { force: true }); // a failed job is never resumed; its upload held personal data
    return 'failed';
  }
}

/** Claim and run jobs until none is left; returns how many ran. */
export async function drainImports(deps: Deps, opts: Partial<RunOptions> & { onlyId?: number } = {}): Promise<number> {
  const run: RunOptions = { workerId: opts.workerId ?? newWorkerId(), ...opts };
  const staleMs = run.staleMs ?? DEFAULT_STALE_MS;
  let n = 0;
  for (;;) {
    if (run.signal?.aborted) return n;
    const job = await claimNextJob(deps.db, run.workerId, deps.clock.now(), staleMs, opts.onlyId);
    if (!job) return n;
    await runClaimed(deps, job, run);
    n++;
  }
}

/** Poll for import jobs every `intervalMs` until stopped. */
export function startImportPoller(deps: Deps, intervalMs = 2_000): { stop(): void } {
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const workerId = newWorkerId();
  const tick = async () => {
    try {
      await drainImports(deps, { workerId, signal: stop.signal });
    } catch (err) {
      if (!stop.signal.aborted) deps.log.error({ err }, 'import poller failed');
    }
    if (!stop.signal.aborted) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stop.abort();
      if (timer) clearTimeout(timer);
    },
  };
}
