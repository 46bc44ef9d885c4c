// /api/v1/numbers, /templates (+ sync), /messages (send + history).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, newKey, type Envelope } from '../../test/api-helpers.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let key: string;
let readOnly: string;
const CUSTOMER = '5215512121212';

const api = (method: string, path: string, body?: unknown, k = key) =>
  t.app.client().json(method, `/api/v1${path}`, body, { ...bearer(k), 'accept-language': 'es' });

before(async () => {
  t = await startChannelTest();
  key = (await newKey(t.app.deps, ['inbox:read', 'inbox:reply', 'templates:read', 'templates:write'])).secret;
  readOnly = (await newKey(t.app.deps, ['inbox:read'])).secret;
  await t.sb.sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'hola', profileName: 'Lucía' });
  await t.work();
});
after(async () => t.close());

describe('numbers and templates', () => {
  it('lists numbers without any secret', async () => {
    const r = await api('GET', '/numbers');
    assert.equal(r.status, 200);
    const body = r.json<{ data: Array<Record<string, unknown>> }>();
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0]!.is_sandbox, true);
    assert.ok(!/token|secret/i.test(Object.keys(body.data[0]!).join(',')), 'no secret fields');
    assert.equal((await api('GET', `/numbers/${t.number.id}`)).json<{ label: string }>().label, 'Sandbox');
    assert.equal((await api('GET', '/numbers/999')).status, 404);
  });

  it('lists templates with cursor pagination and filters; gets one', async () => {
    const p1 = (await api('GET', '/templates?limit=2')).json<{ data: Array<{ id: number; name: string; variables: string[] }>; next_cursor: string | null }>();
    assert.equal(p1.data.length, 2);
    assert.ok(p1.next_cursor, 'another page');
    const p2 = (await api('GET', `/templates?limit=2&cursor=${p1.next_cursor}`)).json<{ data: Array<{ id: number }>; next_cursor: string | null }>();
    assert.equal(p2.data.length, 1);
    assert.equal(p2.next_cursor, null);
    const one = (await api('GET', `/templates/${p1.data[0]!.id}`)).json<{ name: string; variables: string[] }>();
    assert.equal(one.name, 'bienvenida');
    assert.deepEqual(one.variables, ['1', '2']);
    assert.equal((await api('GET', '/templates?status=pending')).json<{ data: unknown[] }>().data.length, 0);
  });

  it('POST /templates/sync needs templates:write', async () => {
    t.sb.sandbox.state.addTemplate({ name: 'desde_api', language: 'es_MX', wabaId: t.number.wabaId });
    assert.equal((await api('POST', '/templates/sync', undefined, readOnly)).status, 403);
    const r = await api('POST', '/templates/sync');
    assert.equal(r.status, 200);
    assert.equal(r.json<{ created: number }>().created, 1);
  });
});

describe('messages', () => {
  it('sends text inside the window to a contact found by phone', async () => {
    const r = await api('POST', '/messages', { number_id: t.number.id, phone: '+52 55 1212 1212', type: 'text', text: 'Hola desde la API' });
    assert.equal(r.status, 201, r.text);
    const m = r.json<{ status: string; wamid: string; direction: string; body: string }>();
    assert.deepEqual([m.status, m.direction, m.body], ['sent', 'out', 'Hola desde la API']);
    assert.match(m.wamid, /^wamid\./);
  });

  it('refuses text outside the window with the reason, and sends a template instead', async () => {
    t.app.clock.advance(25 * 3600_000);
    const contact = await t.app.deps.db('contacts').where({ wa_id: CUSTOMER }).first();
    const r = await api('POST', '/messages', { number_id: t.number.id, contact_id: contact.id, type: 'text', text: '¿Sigues ahí?' });
    assert.equal(r.status, 400);
    const e = r.json<Envelope>();
    assert.equal(e.error.details?.reason, 'whatsapp.window_closed');
    assert.match(e.error.message, /ventana de 24 horas está cerrada/);
    const tpl = await t.app.deps.db('templates').where({ name: 'bienvenida' }).first();
    const ok = await api('POST', '/messages', { number_id: t.number.id, contact_id: contact.id, type: 'template', template_id: tpl.id, params: ['Lucía', 'Clínica'] });
    assert.equal(ok.status, 201, ok.text);
  });

  it('a Meta error is returned with its code and stored on the message', async () => {
    t.sb.sandbox.state.addErrorRule({ code: 131026, times: 1 });
    const contact = await t.app.deps.db('contacts').where({ wa_id: CUSTOMER }).first();
    const tpl = await t.app.deps.db('templates').where({ name: 'bienvenida' }).first();
    const r = await api('POST', '/messages', { number_id: t.number.id, contact_id: contact.id, type: 'template', template_id: tpl.id, params: ['a', 'b'] });
    assert.equal(r.status, 400);
    const e = r.json<Envelope>();
    assert.equal(e.error.details?.meta_code, 131026);
    assert.match(e.error.message, /código 131026/);
    const stored = await t.app.deps.db('messages').where({ id: e.error.details?.message_id as number }).first();
    assert.equal(stored.status, 'failed');
  });

  it('validates input and needs inbox:reply', async () => {
    assert.equal((await api('POST', '/messages', { number_id: t.number.id, type: 'text', text: 'x' })).status, 422);
    assert.equal((await api('POST', '/messages', { number_id: t.number.id, phone: '+52 55 0000 0000', type: 'text', text: 'x' })).status, 404);
    assert.equal((await api('POST', '/messages', { number_id: t.number.id, phone: '+52 55 1212 1212', type: 'text', text: 'x' }, readOnly)).status, 403);
  });

  it('history, newest first, with cursor pagination and a localized error', async () => {
    const contact = await t.app.deps.db('contacts').where({ wa_id: CUSTOMER }).first();
    const all = (await api('GET', `/messages?contact_id=${contact.id}&limit=200`)).json<{ data: Array<{ id: number; error: { code: number; message: string } | null }> }>().data;
    assert.equal(all.length, 4);
    assert.ok(all[0]!.id > all[3]!.id, 'newest first');
    assert.match(all[0]!.error!.message, /código 131026/);
    const p1 = (await api('GET', `/messages?contact_id=${contact.id}&limit=3`)).json<{ data: Array<{ id: number }>; next_cursor: string }>();
    const p2 = (await api('GET', `/messages?contact_id=${contact.id}&limit=3&cursor=${p1.next_cursor}`)).json<{ data: Array<{ id: number }>; next_cursor: null }>();
    assert.deepEqual([...p1.data, ...p2.data].map((m) => m.id), all.map((m) => m.id));
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await t.app.client().get('/api/v1/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const p of ['/numbers', '/numbers/{id}', '/templates', '/templates/{id}', '/templates/sync', '/messages']) assert.ok(doc.paths[p], p);
  });
});
