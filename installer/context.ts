// Opens the install (config + database) for one CLI command and closes it.
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import { createLogger } from '../src/logging/logger.js';

export async function withInstall<T>(fn: (deps: Deps) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const deps = await boot(config, { migrate: opts.migrate ?? true, log: createLogger('warn') });
  try {
    return await fn(deps);
  } finally {
    await deps.db.destroy();
  }
}
