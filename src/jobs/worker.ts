// Runs the cron registry with node-cron; one failure is logged, never fatal.
import cron from 'node-cron';
import type { Deps } from '../deps.js';
import { jobs, type JobContext } from './schedule.js';
import { startChannelWorkers } from '../whatsapp/channel.js';
import { startImportPoller } from '../contacts/import/worker.js';
import { startBulkWorker } from '../contacts/bulk/worker.js';

export function startJobs(deps: Deps, ctx: JobContext): { stop(): void } {
  const tasks = jobs(deps, ctx).map((job) =>
    cron.schedule(job.cron, async () => {
      const started = Date.now();
      try {
        const result = await job.run();
        deps.log.info({ job: job.name, ms: Date.now() - started, result }, 'job done');
      } catch (err) {
        deps.log.error({ job: job.name, err }, 'job failed');
      }
    }, { timezone: deps.config.timezone, noOverlap: true, name: job.name }),
  );
  const channel = startChannelWorkers(deps); // webhook events + media downloads (pollers, not cron)
  const imports = startImportPoller(deps); // contact imports: claims queued jobs, resumes stale ones
  const bulk = startBulkWorker(deps); // bulk actions on contacts: nudged by a new job in this process, else polls every second
  return { stop: () => { tasks.forEach((t) => t.stop()); void channel.stop(); imports.stop(); void bulk.stop(); } };
}
