// Child process for the import crash test: runs the pending imports of the
// install named by the environment with small batches, printing a line after
// each committed batch, until the test kills it with SIGKILL.
import { boot } from '../../boot.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { drainImports } from './worker.js';

const deps = await boot(loadConfig(process.env), { log: createLogger('silent') });
await drainImports(deps, {
  batchSize: Number(process.env.IMPORT_BATCH ?? 500),
  onProgress: (p) => process.stdout.write(`committed ${p.nextRow}\n`),
});
await deps.db.destroy();
