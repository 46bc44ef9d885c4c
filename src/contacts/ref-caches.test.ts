// The contacts list reads custom field definitions, tags and segment names
// from in-process caches (db/ref-cache.ts): every write path must show on the
// very next page, a write inside a transaction only once it commits, and
// another process's write within the cache's bound. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, newKey } from '../../test/api-helpers.js';
import type { HttpClient } from '../../test/http.js';
import { refCache } from '../db/ref-cache.js';
import { customFields } from './fields-queries.js';
import { ensureTagIds } from './import/side-rows.js';
import { allTags, insertTag } from './tags-queries.js';
import { installed, type Session } from './test-support.js';

let s: Session;
let c: HttpClient;
let key: string;
const call = (method: string, path: string, body?: unknown) => c.json(method, `/api/v1${path}`, body, bearer(key));

/** The options of the list's tag filter and segment picker, and the custom field choices of its filter panel. */
async function listChoices() {
  const r = await s.owner.get('/contacts');
  assert.equal(r.status, 200);
  const select = (id: string) => {
    const m = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(r.text);
    return m ? [...m[1]!.matchAll(/<option value="(\d+)"[^>]*>([^<]*)</g)].map((o) => o[2]!) : [];
  };
  return { tags: select('f-tag'), segments: select('f-seg'), html: r.text };
}

before(async () => {
  s = await installed();
  c = s.app.client();
  key = (await newKey(s.app.deps, ['contacts:read', 'contacts:write', 'contacts:delete'])).secret;
});
after(async () => { await s.app.close(); });

describe('the list page after writes', () => {
  it('shows a tag created, renamed and deleted through the API at once', async () => {
    assert.deepEqual((await listChoices()).tags, []);
    const t = await call('POST', '/tags', { name: 'Mayorista' });
    assert.equal(t.status, 201, t.text);
    assert.deepEqual((await listChoices()).tags, ['Mayorista']);
    const id = t.json<{ id: number }>().id;
    assert.equal((await call('PATCH', `/tags/${id}`, { name: 'Minorista' })).status, 200);
    assert.deepEqual((await listChoices()).tags, ['Minorista']);
    assert.equal((await call('DELETE', `/tags/${id}`)).status, 200);
    assert.deepEqual((await listChoices()).tags, []);
  });

  it('shows a tag created with a new contact (API) and one from an import batch once it commits', async () => {
    assert.equal((await call('POST', '/contacts', { phone: '+52 55 1234 0001', first_name: 'Ana', tags: ['nueva'] })).status, 201);
    assert.deepEqual((await listChoices()).tags, ['nueva']);
    const db = s.app.deps.db;
    await db.transaction(async (trx) => {
      await ensureTagIds(trx, new Map(), ['Importada'], s.app.clock.now());
      assert.deepEqual((await allTags(trx)).map((x) => x.name), ['Importada', 'nueva'], 'the transaction sees its own tag');
    });
    assert.deepEqual((await listChoices()).tags, ['Importada', 'nueva']);
  });

  it('shows a segment and a custom field created through the API at once', async () => {
    const seg = await call('POST', '/segments', { name: 'Clientes Ana', definition: { all: [{ field: 'name', op: 'contains', value: 'ana' }] } });
    assert.equal(seg.status, 201, seg.text);
    assert.deepEqual((await listChoices()).segments, ['Clientes Ana']);
    const f = await call('POST', '/custom-fields', { key: 'ciudad', label: 'Ciudad natal', type: 'text' });
    assert.equal(f.status, 201, f.text);
    assert.match((await listChoices()).html, /Ciudad natal/);
    assert.equal((await call('PATCH', `/custom-fields/${f.json<{ id: number }>().id}`, { label: 'Ciudad de origen' })).status, 200);
    const html = (await listChoices()).html;
    assert.match(html, /Ciudad de origen/);
    assert.doesNotMatch(html, /Ciudad natal/);
    assert.equal((await call('DELETE', `/segments/${seg.json<{ id: number }>().id}`)).status, 200);
    assert.deepEqual((await listChoices()).segments, []);
  });

  it('hands every caller its own copies', async () => {
    const db = s.app.deps.db;
    const fields = await customFields(db);
    fields[0]!.label = 'cambiado';
    fields.pop();
    assert.equal((await customFields(db))[0]!.label, 'Ciudad de origen');
    const tags = await allTags(db);
    tags[0]!.name = 'cambiada';
    assert.notEqual((await allTags(db))[0]!.name, 'cambiada');
  });

  it('never shows a tag whose transaction rolled back', async () => {
    const db = s.app.deps.db;
    await assert.rejects(db.transaction(async (trx) => {
      await insertTag(trx, 'Efímera', null, s.app.clock.now());
      throw new Error('rollback');
    }), /rollback/);
    assert.ok(!(await listChoices()).tags.includes('Efímera'));
  });
});

describe('refCache', () => {
  it('serves a hit, re-reads after a change or once the bound has passed, and shares a concurrent miss', async () => {
    const db = s.app.deps.db;
    let reads = 0;
    const cache = refCache(async () => ++reads, 40);
    assert.deepEqual(await Promise.all([cache.get(db), cache.get(db)]), [1, 1]);
    assert.equal(await cache.get(db), 1);
    cache.changed(db);
    assert.equal(await cache.get(db), 2);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(await cache.get(db), 3, 'another process\'s write shows once the bound has passed');
    await db.transaction(async (trx) => {
      assert.equal(await cache.get(trx), 4, 'a read inside a transaction goes to the database');
    });
  });

  it('does not keep a failed read', async () => {
    const db = s.app.deps.db;
    let fail = true;
    const cache = refCache(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    });
    await assert.rejects(cache.get(db), /down/);
    fail = false;
    assert.equal(await cache.get(db), 'ok');
  });
});
