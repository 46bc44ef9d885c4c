// /healthz (liveness, never touches the database) and /readyz (database,
// migrations, storage) as product/contracts.md defines them.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { after, before, describe, it } from 'node:test';
import { migrations } from '../../migrations/index.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import type { Deps } from '../deps.js';
import { healthRoutes } from './routes.js';

type Ready = { status: string; checks: Record<string, string>; license: string };

/** Serves only the health routes of `deps` on port 0 and returns its URL. */
async function serveHealth(deps: Deps): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(healthRoutes(deps));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('health endpoints', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('GET /healthz answers 200 {"status":"ok"} without a session, even before setup', async () => {
    const r = await app.client().get('/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(r.json(), { status: 'ok' });
  });

  it('GET /readyz answers 200 with each check when the database answers and migrations are current', async () => {
    const r = await app.client().get('/readyz');
    assert.equal(r.status, 200);
    const body = r.json<Ready>();
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.checks, { database: 'ok', migrations: 'ok', storage: 'ok' });
    assert.match(body.license, /trial/, 'license state is shown');
  });

  it('GET /readyz answers 503 naming the pending migration when the code is ahead of the database', async () => {
    const [name, last] = migrations[migrations.length - 1]!;
    await last.down(app.deps.db);
    await app.deps.db('knex_migrations').where({ name }).del();
    try {
      const r = await app.client().get('/readyz');
      assert.equal(r.status, 503);
      const body = r.json<Ready>();
      assert.equal(body.status, 'unavailable');
      assert.equal(body.checks.database, 'ok');
      assert.equal(body.checks.migrations, `pending: ${name}`);
      assert.equal((await app.client().get('/healthz')).status, 200, 'liveness is unaffected');
    } finally {
      assert.deepEqual(await migrateLatest(app.deps.db), [name]);
    }
    assert.equal((await app.client().get('/readyz')).status, 200, 'ready again once migrated');
  });

  it('GET /readyz answers 503 with the reason when the database does not answer, and /healthz stays 200', async () => {
    // A database handle pointing at a port where nothing listens: no server of ours is harmed.
    const db = createDb({ client: 'postgres', sqliteFile: '', databaseUrl: 'postgres://nobody@127.0.0.1:1/none', poolMax: 1 });
    const server = await serveHealth({ ...app.deps, db });
    try {
      const r = await fetch(`${server.url}/readyz`);
      assert.equal(r.status, 503);
      const body = (await r.json()) as Ready;
      assert.equal(body.status, 'unavailable');
      assert.match(body.checks.database!, /^unreachable: .+/);
      assert.equal(body.checks.migrations, undefined, 'migrations are not checked without a database');
      const live = await fetch(`${server.url}/healthz`);
      assert.equal(live.status, 200);
    } finally {
      await server.close();
      await db.destroy();
    }
  });

  it('GET /readyz answers 503 when the data dir is gone', async () => {
    const gone = path.join(app.db.dataDir, 'removed-by-an-admin');
    const server = await serveHealth({ ...app.deps, config: { ...app.deps.config, dataDir: gone } });
    try {
      const r = await fetch(`${server.url}/readyz`);
      assert.equal(r.status, 503);
      assert.match(((await r.json()) as Ready).checks.storage!, /not writable/);
    } finally {
      await server.close();
    }
  });
});
