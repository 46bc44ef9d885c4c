// Status webhooks: forward only, in any order, duplicated or batched, matched
// by wamid or by our callback id before the wamid is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureConversation } from './conversation-store.js';
import { insertMessage } from './message-store.js';
import { sendText } from './send-service.js';
import { startConversationTest, statusHelpers, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let convId: number;
const CUSTOMER = '5215544445555';

before(async () => {
  ({ t, conv: convId } = await startConversationTest({ from: CUSTOMER, text: 'hola', profileName: 'Rosa', statusWebhooks: 'off', csrf: false }));
});
after(async () => t.close());

const { status, post, row, sec } = statusHelpers(() => t, CUSTOMER);

describe('statuses', () => {
  it('out of order (read, then sent, then delivered) ends at read with every timestamp', async () => {
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'uno', userId: null });
    await post([status(m.wamid!, 'read', sec())]);
    await post([status(m.wamid!, 'sent', sec() - 2)]);
    await post([status(m.wamid!, 'delivered', sec() - 1)]);
    await t.work();
    const r = await row(m.id);
    assert.equal(r.status, 'read');
    assert.ok(r.sent_at && r.delivered_at && r.read_at, 'all timestamps');
  });

  it('duplicates change nothing and emit once', async () => {
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'dos', userId: null });
    const seen: string[] = [];
    const off = t.app.deps.events.on('message.status', (e) => { if (e.messageId === m.id) seen.push(e.status); });
    await post([status(m.wamid!, 'delivered', sec()), status(m.wamid!, 'delivered', sec())]);
    await post([status(m.wamid!, 'delivered', sec())]);
    await t.work();
    off();
    assert.equal((await row(m.id)).status, 'delivered');
    assert.deepEqual(seen, ['delivered']);
  });

  it('one batched POST with statuses of several messages updates each', async () => {
    const a = await sendText(t.app.deps, { conversationId: convId, text: 'a', userId: null });
    const b = await sendText(t.app.deps, { conversationId: convId, text: 'b', userId: null });
    const c = await sendText(t.app.deps, { conversationId: convId, text: 'c', userId: null });
    await post([status(a.wamid!, 'sent', sec()), status(b.wamid!, 'delivered', sec()), status(c.wamid!, 'read', sec()), status(a.wamid!, 'delivered', sec())]);
    await t.work();
    assert.deepEqual([(await row(a.id)).status, (await row(b.id)).status, (await row(c.id)).status], ['delivered', 'delivered', 'read']);
  });

  it('matches by callback id when the wamid is not stored yet, and stores the wamid', async () => {
    const now = t.app.clock.now();
    const conv = await ensureConversation(t.app.deps.db, (await t.app.deps.db('conversations').where({ id: convId }).first()).contact_id, t.number.id, now);
    const id = await insertMessage(t.app.deps.db, { conversationId: conv.id, contactId: conv.contact_id, numberId: t.number.id, direction: 'out', type: 'text', body: 'en vuelo', payload: null, status: 'queued', callbackId: 'c:7:r:42', createdAt: now });
    await post([status('wamid.late-known', 'delivered', sec(), { biz_opaque_callback_data: 'c:7:r:42' })]);
    await post([status('wamid.late-known', 'sent', sec(), { biz_opaque_callback_data: 'c:7:r:42' })]);
    await t.work();
    const r = await row(id);
    assert.equal(r.wamid, 'wamid.late-known');
    assert.equal(r.status, 'delivered');
  });

  it('failed keeps the reason; a later delivered/read overrides failed; sent never does', async () => {
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'x', userId: null });
    const err = { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Not on WhatsApp' } }] };
    await post([status(m.wamid!, 'failed', sec(), err)]);
    await t.work();
    let r = await row(m.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.error_code, 131026);
    assert.equal(r.error_title, 'Message undeliverable: Not on WhatsApp');
    await post([status(m.wamid!, 'sent', sec())]);
    await t.work();
    assert.equal((await row(m.id)).status, 'failed');
    await post([status(m.wamid!, 'read', sec())]);
    await t.work();
    r = await row(m.id);
    assert.equal(r.status, 'read');
  });

  it('a failed 131050 status opts the contact out (recorded like a keyword, source meta)', async () => {
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'promo', userId: null });
    await post([status(m.wamid!, 'failed', sec(), { errors: [{ code: 131050, title: 'User opted out of marketing messages' }] })]);
    await t.work();
    const contact = await t.app.deps.db('contacts').where({ id: m.contactId }).first();
    assert.equal(contact.opt_in, 'opted_out');
    const consent = await t.app.deps.db('consent_events').where({ contact_id: m.contactId, status: 'opted_out' });
    assert.equal(consent.length, 1);
    assert.equal(consent[0].source, 'meta');
  });

  it('statuses for unknown messages are ignored; the event is done', async () => {
    await post([status('wamid.nobody', 'read', sec())]);
    await t.work();
    assert.equal((await t.app.deps.db('webhook_events').orderBy('id', 'desc').first()).status, 'done');
  });
});
