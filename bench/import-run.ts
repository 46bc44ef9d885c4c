// Child process of the import benchmarks (B6/B7): imports one CSV into a
// fresh install through the real job (upload checks, mapping, batches,
// derived columns, rejected file) and prints its time and peak RSS as JSON,
// so the parent measures the import alone.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { auditAs } from '../src/audit/context.js';
import { CLI_ACTOR } from '../src/audit/service.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging/logger.js';
import { jobById } from '../src/contacts/import/jobs.js';
import { acceptUpload, startImport } from '../src/contacts/import/service.js';
import { drainImports } from '../src/contacts/import/worker.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, data: { type: 'string' }, db: { type: 'string' }, batch: { type: 'string', default: '2000' } } });
const deps = await boot(loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: values.data!, ...(values.db ? { DATABASE_URL: values.db } : {}), LOG_LEVEL: 'error' }), { log: createLogger('error') });
const actor = { userId: null, locale: 'es' as const, source: 'cli' as const, audit: auditAs(CLI_ACTOR, deps.clock) };
const copy = path.join(values.data!, 'bench-upload.csv');
fs.copyFileSync(values.file!, copy);
const started = performance.now();
const job = await acceptUpload(deps, actor, { path: copy, originalName: 'bench.csv' });
await startImport(deps, actor, job.id, { targets: job.mapping.columns.map((c) => c.target), default_country: 'MX', dedupe: 'skip', tags: [], opt_in: false });
await drainImports(deps, { batchSize: Number(values.batch), contactLimit: async () => null });
const ms = performance.now() - started;
const done = (await jobById(deps.db, job.id))!;
await deps.db.destroy();
console.log(JSON.stringify({
  ms, rows: done.nextRow, inserted: done.inserted, rejected: done.rejected, status: done.status,
  rssMiB: process.resourceUsage().maxRSS / 1024,
}));
