// The webhook worker: failures are retried with backoff and finally marked
// failed with the error; processing is idempotent across retries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backoffMs, MAX_ATTEMPTS, processPendingEvents } from './webhook-worker.js';
import { inboundWebhook, startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
before(async () => {
  t = await startChannelTest({ samples: false });
});
after(async () => t.close());

const last = () => t.app.deps.db('webhook_events').orderBy('id', 'desc').first();
const breakStore = () => t.app.deps.db.schema.renameTable('contact_activity', 'contact_activity_off');
const fixStore = () => t.app.deps.db.schema.renameTable('contact_activity_off', 'contact_activity');

describe('retries', () => {
  it('backoff grows and is capped at one hour', () => {
    assert.deepEqual([1, 2, 3].map(backoffMs), [5_000, 10_000, 20_000]);
    assert.equal(backoffMs(30), 3600_000);
  });

  it('a failing event is retried after its backoff and then processed once', async () => {
    await breakStore();
    try {
      const r = await t.postWebhook(inboundWebhook(t.number, '5215520202020', 'Eva', { id: 'wamid.retry1', type: 'text', text: { body: 'reintento' } }, t.app.clock.now()));
      assert.equal(r.status, 200);
      assert.deepEqual(await processPendingEvents(t.app.deps), { done: 0, retried: 1, failed: 0 });
      const ev = await last();
      assert.equal(ev.status, 'pending');
      assert.equal(ev.attempts, 1);
      assert.match(ev.error, /contact_activity/);
      assert.deepEqual(await processPendingEvents(t.app.deps), { done: 0, retried: 0, failed: 0 }, 'not due yet');
    } finally {
      await fixStore();
    }
    t.app.clock.advance(backoffMs(1));
    assert.deepEqual(await processPendingEvents(t.app.deps), { done: 1, retried: 0, failed: 0 });
    assert.equal((await t.app.deps.db('messages').where({ wamid: 'wamid.retry1' })).length, 1);
    assert.equal((await last()).status, 'done');
  });

  it(`after ${MAX_ATTEMPTS} attempts the event is marked failed with the error`, async () => {
    await breakStore();
    try {
      await t.postWebhook(inboundWebhook(t.number, '5215520202021', 'Eva', { id: 'wamid.retry2', type: 'text', text: { body: 'nunca' } }, t.app.clock.now()));
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        await processPendingEvents(t.app.deps);
        t.app.clock.advance(backoffMs(i));
      }
    } finally {
      await fixStore();
    }
    const ev = await last();
    assert.equal(ev.status, 'failed');
    assert.equal(ev.attempts, MAX_ATTEMPTS);
    assert.ok(ev.error && ev.processed_at, 'error and time kept');
    assert.deepEqual(await processPendingEvents(t.app.deps), { done: 0, retried: 0, failed: 0 });
  });

  it('a row claimed by a live worker is skipped; a stale claim is taken over', async () => {
    await t.postWebhook(inboundWebhook(t.number, '5215520202022', 'Eva', { id: 'wamid.claim', type: 'text', text: { body: 'claim' } }, t.app.clock.now()));
    const ev = await last();
    await t.app.deps.db('webhook_events').where({ id: ev.id }).update({ locked_by: 'other', locked_at: t.app.clock.now() });
    assert.equal((await processPendingEvents(t.app.deps)).done, 0);
    t.app.clock.advance(6 * 60_000);
    assert.equal((await processPendingEvents(t.app.deps)).done, 1);
  });
});
