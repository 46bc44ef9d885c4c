// The sandbox phone page: staff play the customer (write, tap buttons, read)
// and the app answers through the real client; with the worker running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { login, makeUser } from '../../test/factories.js';
import { sendInteractive, sendTemplate } from './send-service.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';
import { startWebhookWorker } from './webhook-worker.js';
import type { Poller } from './poller.js';

let t: ChannelTest;
let worker: Poller;
const WA = '5215512345678';
type Bubble = { wamid: string; direction: string; text: string; status: string; header: string | null; buttons: Array<{ kind: string; id: string; title: string }> };

before(async () => {
  t = await startChannelTest();
  worker = startWebhookWorker(t.app.deps, 50);
});
after(async () => {
  await worker.stop();
  await t.close();
});

async function until<T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const bubbles = async () => (await t.owner.get(`/sandbox/phone/messages.json?wa_id=${WA}`)).json<{ messages: Bubble[] }>().messages;
const csrf = () => t.owner.csrf('/sandbox/phone');

describe('sandbox phone', () => {
  it('renders for staff with the Sandbox label and its script, no inline script', async () => {
    const page = await t.owner.get('/sandbox/phone');
    assert.equal(page.status, 200);
    assert.match(page.text, /Teléfono de prueba/);
    assert.match(page.text, /\/assets\/js\/sandbox-phone\.js/);
    assert.doesNotMatch(page.text, /<script>/);
    const viewer = await makeUser(t.app.deps, 'viewer');
    const c = t.app.client();
    await login(c, viewer.email);
    assert.equal((await c.get('/sandbox/phone')).status, 403);
  });

  it('the customer writes (JSON, as the page script does) and the worker stores it', async () => {
    const r = await t.owner.json('POST', '/sandbox/phone/send', { wa_id: WA, name: 'Ana', text: 'Hola, quiero una cita' }, { 'x-csrf-token': await csrf(), accept: 'application/json' });
    assert.equal(r.status, 200);
    const row = await until(() => t.app.deps.db('messages').where({ direction: 'in', body: 'Hola, quiero una cita' }).first(), 'the inbound message');
    assert.equal(row.type, 'text');
    assert.equal((await bubbles())[0]!.text, 'Hola, quiero una cita');
  });

  it('shows a template with its buttons; a tap arrives as a button message', async () => {
    const conv = await t.app.deps.db('conversations').first();
    const tpl = await t.app.deps.db('templates').where({ name: 'recordatorio_cita' }).first();
    await sendTemplate(t.app.deps, { conversationId: conv.id, templateId: tpl.id, params: ['Ana', '12 de mayo', '10:00'], userId: null });
    const b = (await bubbles()).find((x) => x.direction === 'out')!;
    assert.equal(b.header, 'Recordatorio de cita');
    assert.equal(b.text, 'Hola Ana, te esperamos el 12 de mayo a las 10:00. ¿Confirmas tu asistencia?');
    assert.deepEqual(b.buttons.map((x) => x.title), ['Confirmar', 'Cancelar']);
    const tap = await t.owner.post('/sandbox/phone/tap', { wa_id: WA, name: 'Ana', context: b.wamid, kind: 'quick_reply', id: 'Confirmar', title: 'Confirmar' }, { csrf: await csrf() });
    assert.equal(tap.status, 302);
    const row = await until(() => t.app.deps.db('messages').where({ direction: 'in', type: 'button' }).first(), 'the tap');
    assert.equal(row.body, 'Confirmar');
    assert.equal(JSON.parse(row.payload).context.id, b.wamid);
  });

  it('shows interactive reply buttons; a tap arrives as an interactive reply', async () => {
    const conv = await t.app.deps.db('conversations').first();
    await sendInteractive(t.app.deps, { conversationId: conv.id, kind: 'buttons', buttons: { body: '¿Qué horario prefieres?', buttons: [{ id: 'am', title: 'Mañana' }, { id: 'pm', title: 'Tarde' }] }, userId: null });
    const b = (await bubbles()).filter((x) => x.direction === 'out').at(-1)!;
    assert.deepEqual(b.buttons.map((x) => [x.kind, x.id]), [['reply', 'am'], ['reply', 'pm']]);
    await t.owner.json('POST', '/sandbox/phone/tap', { wa_id: WA, name: 'Ana', context: b.wamid, kind: 'reply', id: 'pm', title: 'Tarde' }, { 'x-csrf-token': await csrf(), accept: 'application/json' });
    const row = await until(() => t.app.deps.db('messages').where({ direction: 'in', type: 'interactive' }).first(), 'the interactive reply');
    assert.equal(JSON.parse(row.payload).content.reply.id, 'pm');
  });

  it('"mark read" makes the business message read in the app', async () => {
    const out = await t.app.deps.db('messages').where({ direction: 'out', type: 'interactive' }).first();
    await until(async () => (await t.app.deps.db('messages').where({ id: out.id }).first()).status === 'delivered', 'delivered');
    const r = await t.owner.post('/sandbox/phone/read', { wa_id: WA, name: 'Ana', wamid: out.wamid }, { csrf: await csrf() });
    assert.equal(r.status, 302);
    await until(async () => (await t.app.deps.db('messages').where({ id: out.id }).first()).status === 'read', 'read');
    assert.equal((await bubbles()).find((x) => x.wamid === out.wamid)!.status, 'read');
  });

  it('bad input is a 422 in Spanish, never a 500', async () => {
    const r = await t.owner.json('POST', '/sandbox/phone/send', { wa_id: '+52 55', text: '' }, { 'x-csrf-token': await csrf(), accept: 'application/json' });
    assert.equal(r.status, 422);
  });
});
