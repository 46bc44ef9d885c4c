// Child process for the bulk crash test: runs the pending bulk jobs of the
// install named by the environment in batches of 500 (a claim is stale after
// BULK_STALE_MS), printing a line after each committed batch, until the test
// kills it with SIGKILL.
import { boot } from '../../boot.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { drainBulkJobs } from './worker.js';

const deps = await boot(loadConfig(process.env), { log: createLogger('silent') });
await drainBulkJobs(deps, {
  batchSize: 500,
  staleMs: Number(process.env.BULK_STALE_MS ?? 60_000),
  onProgress: (p) => process.stdout.write(`job ${p.jobId} committed ${p.processed}\n`),
});
await deps.db.destroy();
