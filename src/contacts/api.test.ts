// /api/v1 contacts, tags, custom fields and segments: CRUD, validation, the
// LatAm duplicate conflict, cursor pagination with filters, scopes and the
// OpenAPI document. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, newKey, type Envelope } from '../../test/api-helpers.js';
import type { HttpClient } from '../../test/http.js';
import { installed, type Session } from './test-support.js';

type C = { id: number; phone: string; tags: string[]; custom: Record<string, unknown>; opt_in: string; display_name: string; updated_at: string };
type Page = { data: C[]; next_cursor: string | null };

let s: Session;
let c: HttpClient;
let full: string;
let readOnly: string;

const call = (method: string, path: string, body?: unknown, key = full) => c.json(method, `/api/v1${path}`, body, bearer(key));

before(async () => {
  s = await installed();
  c = s.app.client();
  full = (await newKey(s.app.deps, ['contacts:read', 'contacts:write', 'contacts:delete'])).secret;
  readOnly = (await newKey(s.app.deps, ['contacts:read'])).secret;
});
after(async () => { await s.app.close(); });

describe('contacts API', () => {
  let id: number;
  it('creates, reads, patches and deletes', async () => {
    assert.equal((await call('POST', '/custom-fields', { key: 'nivel', label: 'Nivel', type: 'select', options: ['Oro', 'Plata'] })).status, 201);
    const r = await call('POST', '/contacts', { phone: '+52 1 55 7777 0001', first_name: 'Inés', tags: ['api', 'vip'], custom: { nivel: 'oro' }, opt_in: 'opted_in' });
    assert.equal(r.status, 201, r.text);
    const created = r.json<C>();
    id = created.id;
    assert.equal(created.phone, '+525577770001');
    assert.deepEqual(created.tags.sort(), ['api', 'vip']);
    assert.deepEqual(created.custom, { nivel: 'Oro' });
    assert.equal(created.opt_in, 'opted_in');
    const ledger = await s.app.deps.db('consent_events').where({ contact_id: id }).first();
    assert.equal(ledger.source, 'api');
    assert.equal((await call('GET', `/contacts/${id}`)).json<C>().display_name, 'Inés');
    const p = await call('PATCH', `/contacts/${id}`, { last_name: 'Ibáñez', tags: ['api'], custom: { nivel: null } });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json<C>().display_name, 'Inés Ibáñez');
    assert.deepEqual(p.json<C>().tags, ['api']);
    assert.deepEqual(p.json<C>().custom, {});
  });

  it('answers 409 naming the existing contact for a LatAm variant, 422 for a bad phone', async () => {
    const dup = await call('POST', '/contacts', { phone: '+52 55 7777 0001' });
    assert.equal(dup.status, 409);
    const env = dup.json<Envelope>();
    assert.equal(env.error.code, 'conflict');
    assert.equal(env.error.details?.contact_id, id);
    assert.equal(env.error.details?.reason, 'contacts.phone_taken');
    assert.match(env.error.message, /Inés Ibáñez/);
    const bad = await c.json('POST', '/api/v1/contacts', { phone: '12' }, bearer(full, { 'accept-language': 'es' }));
    assert.equal(bad.status, 422);
    const fields = bad.json<Envelope>().error.details?.fields as Record<string, { code: string; message: string }>;
    assert.equal(fields.phone!.code, 'contacts.phone.too_short');
    assert.match(fields.phone!.message, /El teléfono es demasiado corto/);
    const custom = await call('POST', '/contacts', { phone: '+52 55 7777 0009', custom: { nivel: 'Bronce', nope: 1 } });
    assert.equal(custom.status, 422);
    const cf = custom.json<Envelope>().error.details?.fields as Record<string, { code: string }>;
    assert.equal(cf['custom.nivel']!.code, 'contacts.custom.unknown_option');
    assert.equal(cf['custom.nope']!.code, 'contacts.custom.unknown_field');
  });

  it('lists with cursor pagination and filters, without duplicates', async () => {
    for (let i = 0; i < 25; i++) {
      s.app.clock.advance(1000);
      const r = await call('POST', '/contacts', { phone: `+54 9 11 5555 ${String(1000 + i)}`, first_name: i % 2 ? 'Muñoz' : 'Pérez', tags: i % 5 === 0 ? ['cinco'] : [] });
      assert.equal(r.status, 201, r.text);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await call('GET', `/contacts?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json<Page>();
      seen.push(...page.data.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 26);
    assert.equal(new Set(seen).size, 26);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.equal((await call('GET', '/contacts?q=munoz&limit=200')).json<Page>().data.length, 12);
    assert.equal((await call('GET', '/contacts?q=%2B549115555&limit=200')).json<Page>().data.length, 25);
    assert.equal((await call('GET', '/contacts?tag=cinco')).json<Page>().data.length, 5);
    assert.equal((await call('GET', '/contacts?tag=no-existe')).json<Page>().data.length, 0);
    const since = new Date(s.app.clock.now() - 2500).toISOString();
    assert.equal((await call('GET', `/contacts?updated_since=${since}`)).json<Page>().data.length, 3);
    assert.equal((await call('GET', '/contacts?cursor=basura')).status, 422);
  });

  it('enforces scopes', async () => {
    assert.equal((await call('GET', `/contacts/${id}`, undefined, readOnly)).status, 200);
    const w = await call('POST', '/contacts', { phone: '+52 55 7777 0002' }, readOnly);
    assert.equal(w.status, 403);
    assert.equal(w.json<Envelope>().error.details?.required_scope, 'contacts:write');
    assert.equal((await call('DELETE', `/contacts/${id}`, undefined, readOnly)).status, 403);
    assert.equal((await call('DELETE', `/contacts/${id}`)).json<{ deleted: boolean }>().deleted, true);
    assert.equal((await call('GET', `/contacts/${id}`)).status, 404);
  });
});

describe('tags, custom fields and segments API', () => {
  it('manages tags and custom fields', async () => {
    const t = await call('POST', '/tags', { name: 'Mayorista', color: '#7c3aed' });
    assert.equal(t.status, 201);
    assert.equal((await call('POST', '/tags', { name: 'mayorista' })).status, 422);
    const list = (await call('GET', '/tags')).json<{ data: Array<{ name: string; contacts: number }> }>().data;
    assert.ok(list.some((x) => x.name === 'cinco' && x.contacts === 5));
    assert.equal((await call('DELETE', `/tags/${t.json<{ id: number }>().id}`)).status, 200);
    const f = (await call('GET', '/custom-fields')).json<{ data: Array<{ id: number; key: string }> }>().data;
    assert.deepEqual(f.map((x) => x.key), ['nivel']);
    const p = await call('PATCH', `/custom-fields/${f[0]!.id}`, { label: 'Nivel de cliente', options: ['Oro', 'Plata', 'Bronce'] });
    assert.equal(p.status, 200, p.text);
    assert.equal((await call('POST', '/custom-fields', { key: '9bad', label: 'x', type: 'text' })).status, 422);
  });

  it('creates segments, counts them and reports deleted fields', async () => {
    const seg = await call('POST', '/segments', { name: 'Muñoz', definition: { all: [{ field: 'name', op: 'contains', value: 'munoz' }] } });
    assert.equal(seg.status, 201, seg.text);
    const sid = seg.json<{ id: number }>().id;
    assert.equal((await call('GET', `/segments/${sid}/count`)).json<{ count: number }>().count, 12);
    assert.equal((await call('GET', `/contacts?segment_id=${sid}&limit=200`)).json<Page>().data.length, 12);
    const bad = await call('POST', '/segments', { name: 'Malo', definition: { all: [{ field: 'custom:nope', op: 'eq', value: 1 }] } });
    assert.equal(bad.status, 422);
    const withField = await call('POST', '/segments', { name: 'Oro', definition: { field: 'custom:nivel', op: 'eq', value: 'Oro' } });
    assert.equal(withField.status, 201, withField.text);
    const fid = (await call('GET', '/custom-fields')).json<{ data: Array<{ id: number }> }>().data[0]!.id;
    assert.equal((await call('DELETE', `/custom-fields/${fid}`)).status, 200);
    const got = await call('GET', `/segments/${withField.json<{ id: number }>().id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json<{ problems: Array<{ code: string }> }>().problems[0]!.code, 'segments.unknown_field');
    assert.equal((await call('GET', `/segments/${withField.json<{ id: number }>().id}/count`)).status, 422);
    assert.equal((await call('PATCH', `/segments/${sid}`, { name: 'Los Muñoz' })).json<{ name: string }>().name, 'Los Muñoz');
    assert.equal((await call('DELETE', `/segments/${sid}`, undefined, readOnly)).status, 403);
    assert.equal((await call('DELETE', `/segments/${sid}`)).status, 200);
  });

  it('documents every route in OpenAPI', async () => {
    const doc = (await c.get('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const [path, methods] of Object.entries({
      '/contacts': ['get', 'post'], '/contacts/{id}': ['get', 'patch', 'delete'], '/tags': ['get', 'post'], '/tags/{id}': ['patch', 'delete'],
      '/custom-fields': ['get', 'post'], '/custom-fields/{id}': ['patch', 'delete'], '/segments': ['get', 'post'],
      '/segments/{id}': ['get', 'patch', 'delete'], '/segments/{id}/count': ['get'],
    })) {
      for (const m of methods) assert.ok(doc.paths[path]?.[m], `${m} ${path}`);
    }
  });
});
