// /healthz never touches the database (no restart storms); /readyz checks the
// database, migrations and storage.
import fs from 'node:fs';
import { Router } from 'express';
import { ping } from '../db/dialect.js';
import { pendingMigrations } from '../db/migrate.js';
import type { Deps } from '../deps.js';

export function healthRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await ping(deps.db);
      checks.database = 'ok';
      const pending = await pendingMigrations(deps.db);
      checks.migrations = pending.length ? `pending: ${pending.join(', ')}` : 'ok';
      if (pending.length) ok = false;
    } catch (e) {
      ok = false;
      checks.database = `unreachable: ${(e as Error).message}`;
    }
    try {
      fs.accessSync(deps.config.dataDir, fs.constants.W_OK);
      checks.storage = 'ok';
    } catch {
      ok = false;
      checks.storage = `data dir not writable: ${deps.config.dataDir}`;
    }
    const license = await deps.plans.entitlement().then((e) => `${e.source}:${e.state}`, () => 'unknown');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks, license });
  });
  return r;
}
