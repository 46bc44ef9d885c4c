// The maintained contacts counter (migration 0008) on the engine under test:
// initialised from the rows already there, and equal to count(*) after every
// path that adds or removes contacts; the plan's usage and the import's limit
// check read it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditAs } from '../audit/context.js';
import { CLI_ACTOR } from '../audit/service.js';
import { createContact, deleteContact } from '../contacts/service.js';
import { eraseContact } from '../contacts/gdpr/erase.js';
import { createDb } from '../db/knex.js';
import { migrations } from '../../migrations/index.js';
import { createTestDatabase } from '../../test/db.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { importFile, ownerClient } from '../contacts/import/test-helpers.js';
import { counterValue } from './counters.js';

const rowCount = async (app: TestApp) => Number((await app.deps.db('contacts').count({ n: '*' }).first())!.n);

async function assertExact(app: TestApp, want: number, what: string): Promise<void> {
  assert.equal(await rowCount(app), want, `${what}: rows`);
  assert.equal(await counterValue(app.deps.db, 'contacts'), want, `${what}: counter`);
  assert.equal(await app.deps.plans.usage('contacts'), want, `${what}: plan usage`);
}

describe('maintained contacts counter', () => {
  let app: TestApp;
  let c: HttpClient;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
  });
  after(async () => app.close());

  it('starts from the contacts already stored when the migration runs', async () => {
    const t = await createTestDatabase();
    const db = createDb({ client: t.engine, sqliteFile: `${t.dataDir}/m.sqlite`, databaseUrl: t.databaseUrl });
    try {
      const at = migrations.findIndex(([name]) => name === '20261203_0008_contact_counter');
      for (const [, m] of migrations.slice(0, at)) await m.up(db);
      const now = Date.now();
      await db('contacts').insert([1, 2, 3].map((i) => ({ phone: `+52552000000${i}`, wa_key: `52552000000${i}`, display_name: 'x', sort_name: 'x', search_text: 'x', created_at: now, updated_at: now })));
      await migrations[at]![1].up(db);
      assert.equal(await counterValue(db, 'contacts'), 3);
      await db('contacts').where({ wa_key: '525520000001' }).delete();
      assert.equal(await counterValue(db, 'contacts'), 2);
      await migrations[at]![1].down(db);
      await db('contacts').delete();
      assert.equal((await db.schema.hasTable('counters')), false, 'down drops the table (and its triggers, or the delete would fail)');
    } finally {
      await db.destroy();
      await t.drop();
    }
  });

  it('stays exact through create, import (with existing rows), delete, bulk delete, GDPR erase and rollbacks', async () => {
    const audit = auditAs(CLI_ACTOR, app.deps.clock);
    const who = { userId: null, label: 'test' };
    await assertExact(app, 0, 'fresh install');
    const a = await createContact(app.deps, who, { phone: '+52 55 1000 0001', first_name: 'Ana' }, audit);
    const b = await createContact(app.deps, who, { phone: '+52 55 1000 0002', first_name: 'Beto' }, audit);
    await assertExact(app, 2, 'two created');

    const rows = Array.from({ length: 1200 }, (_, i) => `N${i},+52 55 3${String(i).padStart(7, '0')}`);
    const csv = ['Nombre,Teléfono', 'Ana María,+52 55 1000 0001', ...rows, 'Malo,123'].join('\n');
    const job = await importFile(app, c, 'contar.csv', csv, { dedupe: 'overwrite' });
    assert.deepEqual([job.inserted, job.updated, job.rejected], [1200, 1, 1]);
    await assertExact(app, 1202, 'import: 1,200 new, one existing updated, one bad');

    const again = await importFile(app, c, 'otra-vez.csv', csv, { dedupe: 'skip' });
    assert.equal(again.inserted, 0);
    await assertExact(app, 1202, 're-import of the same rows inserts nothing');

    await deleteContact(app.deps, b.id, audit);
    await assertExact(app, 1201, 'one deleted');

    const ids = await app.deps.db('contacts').where('phone', 'like', '+52553%').orderBy('id').limit(700).pluck('id');
    for (let i = 0; i < ids.length; i += 500) await app.deps.db('contacts').whereIn('id', ids.slice(i, i + 500)).delete();
    await assertExact(app, 501, 'bulk delete of 700 in multi-row statements');

    await eraseContact(app.deps, a.id, audit);
    await assertExact(app, 500, 'GDPR erase');

    await assert.rejects(app.deps.db.transaction(async (trx) => {
      await trx('contacts').whereIn('id', await trx('contacts').limit(10).pluck('id')).delete();
      throw new Error('rolled back');
    }), /rolled back/);
    await assertExact(app, 500, 'a rolled-back delete');
    await app.deps.db('contacts').whereRaw('1 = 0').delete();
    await assertExact(app, 500, 'a delete that matches nothing');
  });

  it('is what the plan limit is checked against', async () => {
    const limit = (await app.deps.plans.limit('contacts'))!;
    const audit = auditAs(CLI_ACTOR, app.deps.clock);
    await app.deps.db('counters').where({ name: 'contacts' }).update({ value: limit });
    await assert.rejects(createContact(app.deps, { userId: null, label: 'test' }, { phone: '+52 55 1000 0009' }, audit), /limit/i);
    const job = await importFile(app, c, 'lleno.csv', 'Nombre,Teléfono\nZ,+52 55 1000 0010\n');
    assert.deepEqual([job.inserted, job.rejected], [0, 1], 'the import reads the counter too');
  });
});
