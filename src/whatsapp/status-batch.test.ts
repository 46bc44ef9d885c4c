// The worker's status fast path: many stored status webhooks applied in one
// transaction, with the same forward-only result as one by one; a failing
// batch keeps nothing and its rows are retried on their own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendText } from './send-service.js';
import { startConversationTest, statusHelpers, type ChannelTest } from './test-kit.js';
import { backoffMs, processPendingEvents } from './webhook-worker.js';

let t: ChannelTest;
let convId: number;
const CUSTOMER = '5215544446666';

before(async () => {
  ({ t, conv: convId } = await startConversationTest({ from: CUSTOMER, text: 'hola', profileName: 'Lía', statusWebhooks: 'off', csrf: false }));
});
after(async () => t.close());

const { status, post, row, sec } = statusHelpers(() => t, CUSTOMER);
const send = (text: string) => sendText(t.app.deps, { conversationId: convId, text, userId: null });

describe('status batches', () => {
  it('separate webhooks for one message, processed together, end where one by one would, emitting each step once', async () => {
    const m = await send('lote');
    const other = await send('otro');
    const seen: string[] = [];
    const off = t.app.deps.events.on('message.status', (e) => { if (e.messageId === m.id) seen.push(e.status); });
    await post([status(m.wamid!, 'delivered', sec() - 1)]);
    await post([status(other.wamid!, 'read', sec())]);
    await post([status(m.wamid!, 'sent', sec() - 2)]);
    await post([status(m.wamid!, 'read', sec())]);
    await post([status(m.wamid!, 'delivered', sec())]);
    assert.deepEqual(await processPendingEvents(t.app.deps), { done: 5, retried: 0, failed: 0 });
    off();
    const r = await row(m.id);
    assert.equal(r.status, 'read');
    assert.ok(r.sent_at && r.delivered_at && r.read_at, 'every timestamp');
    assert.deepEqual(seen, ['delivered', 'read']);
    assert.equal((await row(other.id)).status, 'read');
    assert.equal((await t.app.deps.db('webhook_events').where({ status: 'pending' })).length, 0);
  });

  it('messages getting the same change in the same second are all updated (one shared UPDATE), each emitting once', async () => {
    const ms = [await send('g1'), await send('g2'), await send('g3')];
    const seen: number[] = [];
    const off = t.app.deps.events.on('message.status', (e) => { if (ms.some((m) => m.id === e.messageId)) seen.push(e.messageId); });
    const at = sec();
    for (const m of ms) await post([status(m.wamid!, 'delivered', at)]);
    await post([status(ms[0]!.wamid!, 'delivered', at)]);
    assert.deepEqual(await processPendingEvents(t.app.deps), { done: 4, retried: 0, failed: 0 });
    off();
    for (const m of ms) {
      const r = await row(m.id);
      assert.equal(r.status, 'delivered');
      assert.equal(Number(r.delivered_at), at * 1000);
    }
    assert.deepEqual(seen.sort(), ms.map((m) => m.id).sort());
  });

  it('a failing batch keeps nothing; the good rows are applied, the bad one is retried later and then applied', async () => {
    const bad = await send('promo');
    const good = await send('aviso');
    await t.app.deps.db.schema.renameTable('consent_events', 'consent_events_off');
    try {
      await post([status(bad.wamid!, 'failed', sec(), { errors: [{ code: 131050, title: 'User opted out of marketing messages' }] })]);
      await post([status(good.wamid!, 'delivered', sec())]);
      assert.deepEqual(await processPendingEvents(t.app.deps), { done: 1, retried: 1, failed: 0 });
      assert.equal((await row(bad.id)).status, 'sent', 'rolled back with the opt-out that failed');
      assert.equal((await row(good.id)).status, 'delivered');
    } finally {
      await t.app.deps.db.schema.renameTable('consent_events_off', 'consent_events');
    }
    t.app.clock.advance(backoffMs(1));
    assert.deepEqual(await processPendingEvents(t.app.deps), { done: 1, retried: 0, failed: 0 });
    assert.equal((await row(bad.id)).status, 'failed');
    assert.equal((await t.app.deps.db('contacts').where({ id: bad.contactId }).first()).opt_in, 'opted_out');
  });
});
