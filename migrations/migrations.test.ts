// Migrations on the engine under test: the list in index.ts is complete, the
// whole chain goes empty → latest → all the way down → latest again, and each
// migration's down undoes exactly what its up created.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { tableNames } from '../src/db/dialect.js';
import { createDb } from '../src/db/knex.js';
import { latestMigrationName, migrateLatest, migrateRollback, pendingMigrations } from '../src/db/migrate.js';
import { migrations } from './index.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const isKnexBookkeeping = (t: string) => t.startsWith('knex_migrations');

async function appTables(db: Knex): Promise<string[]> {
  return (await tableNames(db)).filter((t) => !isKnexBookkeeping(t));
}

describe('migrations/index.ts', () => {
  it('lists every migration file in this folder, once, in file-name order', () => {
    const files = fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const listed = migrations.map(([name]) => name);
    assert.deepEqual(listed, files);
    assert.equal(new Set(listed).size, listed.length, 'no name twice');
    for (const f of files) assert.match(f, /^\d{8}_\d{4}_[a-z0-9_]+$/, `${f}: name like 20261124_0001_name`);
    assert.equal(latestMigrationName(), files[files.length - 1]);
  });

  it('exports an up and a down from every migration', () => {
    for (const [name, m] of migrations) {
      assert.equal(typeof m.up, 'function', `${name}.up`);
      assert.equal(typeof m.down, 'function', `${name}.down`);
    }
  });
});

describe(`migrations on ${process.env.CHATFLOW_TEST_DB ?? 'sqlite'}`, () => {
  let tdb: TestDatabase;
  let db: Knex;

  before(async () => {
    tdb = await createTestDatabase();
    db = createDb({ client: tdb.engine, sqliteFile: path.join(tdb.dataDir, 'chatflow.sqlite'), databaseUrl: tdb.databaseUrl, poolMax: 2 });
  });
  after(async () => {
    await db?.destroy();
    await tdb?.drop();
  });

  let firstTables: string[] = [];

  it('goes from an empty database to the latest schema', async () => {
    assert.deepEqual(await appTables(db), []);
    const applied = await migrateLatest(db);
    assert.deepEqual(applied, migrations.map(([n]) => n));
    assert.deepEqual(await pendingMigrations(db), []);
    firstTables = await appTables(db);
    for (const t of ['settings', 'users', 'sessions', 'audit_log', 'api_keys']) assert.ok(firstTables.includes(t), `table ${t}`);
  });

  it('gives every table an id column', async () => {
    for (const t of firstTables) {
      const cols = await db(t).columnInfo();
      assert.ok('id' in cols, `${t} has an id column`);
    }
  });

  it('is idempotent: latest again applies nothing', async () => {
    assert.deepEqual(await migrateLatest(db), []);
  });

  it('rolls everything back, leaving only knex bookkeeping', async () => {
    const undone = await migrateRollback(db, true);
    assert.deepEqual([...undone].sort(), migrations.map(([n]) => n).sort());
    assert.deepEqual(await appTables(db), []);
    assert.deepEqual(await pendingMigrations(db), migrations.map(([n]) => n));
  });

  it('migrates up again to the same schema', async () => {
    await migrateLatest(db);
    assert.deepEqual(await appTables(db), firstTables);
    assert.deepEqual(await pendingMigrations(db), []);
  });

  it('undoes each migration with its own down, one step at a time', async () => {
    await migrateRollback(db, true);
    // Walk up one migration at a time, recording the tables after each step, then back down.
    const after: string[][] = [];
    for (const [, m] of migrations) {
      await m.up(db);
      after.push(await appTables(db));
    }
    for (let i = migrations.length - 1; i >= 0; i--) {
      const [name, m] = migrations[i]!;
      await m.down(db);
      assert.deepEqual(await appTables(db), i ? after[i - 1] : [], `${name}.down leaves the schema as before its up`);
    }
  });
});
