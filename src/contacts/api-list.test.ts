// /api/v1/contacts: every sort of the list page with keyset cursors (the
// nullable last-message times included), the list page's filters (tags by
// name, opt-in, activity, custom field conditions, segment, a condition
// tree), and adding/removing single tags with a timeline entry. SQLite and
// Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, newKey, type Envelope } from '../../test/api-helpers.js';
import type { HttpClient } from '../../test/http.js';
import { SORTS } from './list-filter.js';
import { SORT_COLUMNS } from './queries.js';
import { installed, type Session } from './test-support.js';

type C = { id: number; phone: string; tags: string[]; display_name: string; updated_at: string };
type Page = { data: C[]; next_cursor: string | null };

let s: Session;
let c: HttpClient;
let key: string;
let readOnly: string;
const ids: number[] = [];
const HOUR = 3_600_000;
const FIRST = ['Ángela', 'bruno', 'Carmen', 'Óscar', 'Íñigo', 'zoe', 'Álvaro'];

const call = (method: string, path: string, body?: unknown, k = key) => c.json(method, `/api/v1${path}`, body, bearer(k));

before(async () => {
  s = await installed();
  c = s.app.client();
  key = (await newKey(s.app.deps, ['contacts:read', 'contacts:write', 'contacts:delete'])).secret;
  readOnly = (await newKey(s.app.deps, ['contacts:read'])).secret;
  assert.equal((await call('POST', '/custom-fields', { key: 'puntos', label: 'Puntos', type: 'number' })).status, 201);
  assert.equal((await call('POST', '/custom-fields', { key: 'plan', label: 'Plan', type: 'select', options: ['Básico', 'Premium'] })).status, 201);
  const db = s.app.deps.db;
  for (let i = 0; i < 23; i++) {
    if (i % 4 === 0) s.app.clock.advance(1000); // ties on created_at exercise the id tiebreak
    const r = await call('POST', '/contacts', {
      phone: `+52 55 ${String(9000 - i * 7)} ${String(1000 + ((i * 37) % 89))}`, first_name: FIRST[i % FIRST.length], last_name: `Ap${i % 3}`,
      tags: i % 3 === 0 ? ['vip'] : i % 3 === 1 ? ['frío'] : [], custom: { puntos: i * 10, plan: i % 2 ? 'Premium' : 'Básico' },
      opt_in: i % 4 === 0 ? 'opted_in' : undefined,
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json<C>().id;
    ids.push(id);
    const now = s.app.clock.now();
    // Nullable sort keys with ties: a third without a reply, a half never messaged.
    await db('contacts').where({ id }).update({
      last_inbound_at: i % 3 === 2 ? null : now - (i % 4) * HOUR,
      last_outbound_at: i % 2 ? null : now - (i % 5) * 24 * HOUR,
    });
  }
});
after(async () => { await s.app.close(); });

async function walk(qs: string, limit = 4): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 50; n++) {
    const r = await call('GET', `/contacts?limit=${limit}&${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    const page = r.json<Page>();
    seen.push(...page.data.map((x) => x.id));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return seen;
}

describe('GET /contacts sorts', () => {
  for (const sort of SORTS) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`pages by ${sort} ${dir}: the database's order, rows without a value last, no duplicates or gaps`, async () => {
        const col = SORT_COLUMNS[sort];
        const db = s.app.deps.db;
        const valued = await db('contacts').whereNotNull(col).orderBy([{ column: col, order: dir }, { column: 'contacts.id', order: dir }]).pluck('id');
        const empty = await db('contacts').whereNull(col).orderBy('contacts.id', dir).pluck('id');
        const expected = [...valued, ...empty].map(Number);
        assert.equal(expected.length, 23);
        assert.deepEqual(await walk(`sort=${sort}&dir=${dir}`), expected);
      });
    }
  }

  it('keeps the order through a cursor on the rows without a value', async () => {
    const all = await walk('sort=last_outbound&dir=desc', 23);
    const paged = await walk('sort=last_outbound&dir=desc', 1);
    assert.deepEqual(paged, all);
  });

  it('refuses a cursor of another order or a forged one', async () => {
    const first = (await call('GET', '/contacts?limit=2&sort=name')).json<Page>();
    const r = await call('GET', `/contacts?limit=2&sort=phone&cursor=${encodeURIComponent(first.next_cursor!)}`);
    assert.equal(r.status, 422);
    assert.ok((r.json<Envelope>().error.details?.fields as Record<string, unknown>).cursor);
    assert.equal((await call('GET', '/contacts?sort=nombre')).status, 422);
  });
});

describe('GET /contacts filters', () => {
  const count = async (qs: string) => (await walk(qs, 100)).length;

  it('filters by tags (any of, by name), without tags, opt-in and activity', async () => {
    assert.equal(await count('tag=vip'), 8);
    assert.equal(await count('tag=VIP&tag=Frio'), 16);
    assert.equal(await count('no_tag=vip&no_tag=frío'), 7);
    assert.equal(await count('tag=no-existe'), 0);
    assert.equal(await count('no_tag=no-existe'), 23);
    assert.equal(await count('opt_in=opted_in'), 6);
    assert.equal(await count('activity=never_messaged'), 11);
    assert.equal(await count('activity=replied_7'), 16);
    assert.equal(await count('tag=vip&activity=messaged&opt_in=opted_in'), 2);
  });

  it('takes the list page\'s custom field conditions and a condition tree', async () => {
    assert.equal(await count('cf1=puntos&co1=range&cv1=50&cw1=150'), 11);
    assert.equal(await count('cf1=puntos&co1=range&cv1=50&cw1=150&cf2=plan&co2=in&cv2=premium'), 6);
    assert.equal(await count('cf1=plan&co1=in&cv1=Premium&cv1=B%C3%A1sico'), 23);
    const tree = encodeURIComponent(JSON.stringify({ any: [{ field: 'custom:puntos', op: 'lt', value: 20 }, { field: 'custom:puntos', op: 'gt', value: 200 }] }));
    assert.equal(await count(`condition=${tree}`), 4);
    assert.equal(await count(`condition=${tree}&tag=vip`), 2);
    const bad = await call('GET', '/contacts?condition=%7Bnope');
    assert.equal(bad.status, 422);
    const op = await call('GET', '/contacts?cf1=puntos&co1=contains&cv1=1');
    assert.equal(op.status, 422);
    assert.match(JSON.stringify(op.json<Envelope>().error.details), /Puntos/);
  });

  it('filters by segment with any sort, and names a deleted custom field', async () => {
    const seg = await call('POST', '/segments', { name: 'Premium', definition: { field: 'custom:plan', op: 'eq', value: 'Premium' } });
    assert.equal(seg.status, 201, seg.text);
    const sid = seg.json<{ id: number }>().id;
    const byName = await walk(`segment_id=${sid}&sort=name`, 3);
    assert.equal(byName.length, 11);
    assert.equal(new Set(byName).size, 11);
    assert.equal((await call('GET', '/contacts?segment_id=999999')).status, 404);
    const f = (await call('GET', '/custom-fields')).json<{ data: Array<{ id: number; key: string }> }>().data.find((x) => x.key === 'plan')!;
    assert.equal((await call('DELETE', `/custom-fields/${f.id}`)).status, 200);
    const gone = await c.json('GET', '/api/v1/contacts?cf1=plan&co1=is_set', undefined, bearer(key, { 'accept-language': 'es' }));
    assert.equal(gone.status, 422);
    assert.match(JSON.stringify(gone.json<Envelope>().error), /«plan» ya no existe/);
    assert.equal((await call('GET', `/contacts?segment_id=${sid}`)).status, 422);
  });
});

describe('tags of one contact', () => {
  const activity = async (id: number) => (await s.app.deps.db('contact_activity').where({ contact_id: id, kind: 'change' }).select('summary')).length;

  it('adds tags without replacing the set, creating unknown ones, on the timeline', async () => {
    const id = ids[0]!;
    const before = await activity(id);
    s.app.clock.advance(5000);
    const r = await call('POST', `/contacts/${id}/tags`, { tags: ['Cliente Nuevo', 'vip', 'Ñandú'] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json<C>().tags.sort(), ['Cliente Nuevo', 'Ñandú', 'vip'].sort());
    assert.equal(new Date(r.json<C>().updated_at).getTime(), s.app.clock.now());
    assert.equal(await activity(id), before + 1);
    const row = await s.app.deps.db('contact_activity').where({ contact_id: id, kind: 'change' }).orderBy('id', 'desc').first();
    assert.deepEqual(JSON.parse(row.summary), { fields: ['tags'] });
    assert.ok(await s.app.deps.db('audit_log').where({ action: 'contact.updated', entity_id: String(id) }).first());
    const again = await call('POST', `/contacts/${id}/tags`, { tags: ['VIP'] });
    assert.equal(again.status, 200);
    assert.equal(await activity(id), before + 1, 'nothing changed, nothing written');
  });

  it('removes one tag by name, any case or accents', async () => {
    const id = ids[0]!;
    const before = await activity(id);
    const r = await call('DELETE', `/contacts/${id}/tags/${encodeURIComponent('ñandu')}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json<C>().tags.sort(), ['Cliente Nuevo', 'vip']);
    assert.equal(await activity(id), before + 1);
    const lacking = await call('DELETE', `/contacts/${id}/tags/${encodeURIComponent('frío')}`);
    assert.equal(lacking.status, 200);
    assert.equal(await activity(id), before + 1);
    assert.equal((await call('DELETE', `/contacts/${id}/tags/no-existe`)).status, 404);
    assert.ok(await s.app.deps.db('tags').where({ name: 'Ñandú' }).first(), 'the tag itself stays');
  });

  it('checks the contact, the body and the scope', async () => {
    assert.equal((await call('POST', '/contacts/999999/tags', { tags: ['x'] })).status, 404);
    assert.equal((await call('POST', `/contacts/${ids[1]}/tags`, { tags: [] })).status, 422);
    assert.equal((await call('POST', `/contacts/${ids[1]}/tags`, { tags: ['x'.repeat(61)] })).status, 422);
    const ro = await call('POST', `/contacts/${ids[1]}/tags`, { tags: ['x'] }, readOnly);
    assert.equal(ro.status, 403);
    assert.equal((await call('DELETE', `/contacts/${ids[1]}/tags/vip`, undefined, readOnly)).status, 403);
  });

  it('documents the new routes in OpenAPI', async () => {
    const doc = (await c.get('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> }>();
    assert.ok(doc.paths['/contacts/{id}/tags']?.post);
    assert.ok(doc.paths['/contacts/{id}/tags/{tag}']?.delete);
    const params = doc.paths['/contacts']!.get!.parameters!.map((p) => p.name);
    for (const p of ['sort', 'dir', 'tag', 'no_tag', 'activity', 'condition', 'cf1', 'co1', 'cv1', 'cw1']) assert.ok(params.includes(p), p);
  });
});
