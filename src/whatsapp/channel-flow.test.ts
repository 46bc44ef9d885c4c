// End to end through the sandbox over HTTP: the customer writes (signed
// webhook → worker), staff answer inside the window, statuses come back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendText } from './send-service.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
before(async () => {
  t = await startChannelTest();
});
after(async () => t.close());

test('an inbound text creates the contact and conversation; a reply inside the window is delivered and read', async () => {
  const { app, sb } = t;
  const inbound = await sb.sandbox.simulateInbound({ from: '5215512345678', type: 'text', text: 'Hola, ¿tienen cita mañana? 😀', profileName: 'Ana Pérez' });
  assert.equal(inbound.delivery?.status, 200);
  await t.work();
  const contact = await app.deps.db('contacts').where({ wa_id: '5215512345678' }).first();
  assert.ok(contact, 'contact created');
  assert.equal(contact.display_name, 'Ana Pérez');
  const conv = await app.deps.db('conversations').where({ contact_id: contact.id }).first();
  assert.equal(conv.unread_count, 1);
  const msg = await app.deps.db('messages').where({ wamid: inbound.wamid }).first();
  assert.equal(msg.body, 'Hola, ¿tienen cita mañana? 😀');
  assert.equal(msg.direction, 'in');

  const sent = await sendText(app.deps, { conversationId: Number(conv.id), text: 'Sí, a las 10:00', userId: null });
  assert.equal(sent.status, 'sent');
  assert.ok(sent.wamid?.startsWith('wamid.'), 'wamid stored');
  await t.settle();
  let row = await app.deps.db('messages').where({ id: sent.id }).first();
  assert.equal(row.status, 'delivered');
  assert.ok(sb.sandbox.markReadByCustomer(sent.wamid!), 'customer read it');
  await t.settle();
  row = await app.deps.db('messages').where({ id: sent.id }).first();
  assert.equal(row.status, 'read');
  assert.ok(row.read_at, 'read_at set');
});
