// Reading a thread tells WhatsApp (Meta's mark-read, through the real client
// against the sandbox over HTTP): once per newest inbound message, in the
// background, never for viewers, failures logged and harmless. The sandbox
// phone then shows the customer's messages with blue ticks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { login, makeUser } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';
import { startChannelTest, type ChannelTest } from '../whatsapp/test-kit.js';
import { settleMarkReads } from './service.js';

const WA = '5215512340001';
// Every Graph call takes this long, so a page that waited for Meta would show it.
const LATENCY_MS = 1200;

describe('mark read on WhatsApp when an agent opens the thread', () => {
  let t: ChannelTest;
  let viewer: HttpClient;
  let conv: number;

  before(async () => {
    t = await startChannelTest({ sandbox: { latencyMs: LATENCY_MS } });
    const v = await makeUser(t.app.deps, 'viewer');
    viewer = t.app.client();
    await login(viewer, v.email);
  });
  after(async () => {
    await settleMarkReads();
    await t?.close();
  });

  const marked = () => t.sb.sandbox.state.stats.markedRead;
  const inbound = () => t.app.deps.db('messages').where({ conversation_id: conv, direction: 'in' }).orderBy('id');
  async function customerWrites(text: string): Promise<string> {
    const sent = await t.sb.sandbox.simulateInbound({ from: WA, type: 'text', text, profileName: 'Rosa', phoneNumberId: t.number.phoneNumberId });
    await t.settle();
    conv = Number((await t.app.deps.db('conversations').first('id')).id);
    return sent.wamid;
  }
  const phoneTicks = async () => {
    const r = await t.owner.get(`/sandbox/phone/messages.json?wa_id=${WA}`);
    return r.json<{ messages: Array<{ direction: string; ticks: string | null }> }>().messages.filter((m) => m.direction === 'in').map((m) => m.ticks);
  };

  it('a viewer looking on marks nothing, here or on WhatsApp', async () => {
    await customerWrites('Hola');
    await customerWrites('¿Tienen citas mañana?');
    const r = await viewer.get(`/inbox/${conv}`);
    assert.equal(r.status, 200);
    await settleMarkReads();
    assert.equal(marked(), 0);
    assert.ok((await inbound()).every((m) => m.read_at === null));
    assert.deepEqual(await phoneTicks(), ['delivered', 'delivered']);
  });

  it('the agent opening it marks the newest inbound read, without waiting for Meta', async () => {
    const started = Date.now();
    const r = await t.owner.get(`/inbox/${conv}`);
    assert.equal(r.status, 200);
    assert.ok(Date.now() - started < LATENCY_MS, 'the page did not wait for the Graph call');
    assert.equal(marked(), 0, 'Meta has not answered yet when the page is served');
    await settleMarkReads();
    assert.equal(marked(), 1);
    const rows = await inbound();
    assert.ok(rows.every((m) => m.read_at !== null), 'every earlier inbound message is read too');
    assert.deepEqual(await phoneTicks(), ['read', 'read'], 'blue ticks on the customer’s phone');
  });

  it('opening it again (or the live page’s POST /read) does not call Meta again', async () => {
    await t.owner.get(`/inbox/${conv}`);
    const csrf = await t.owner.csrf(`/inbox/${conv}`);
    assert.equal((await t.owner.request('POST', `/inbox/${conv}/read`, { headers: { 'x-csrf-token': csrf } })).status, 204);
    await settleMarkReads();
    assert.equal(marked(), 1);
  });

  it('a new customer message is marked once more', async () => {
    await customerWrites('Por la tarde, por favor');
    assert.deepEqual(await phoneTicks(), ['read', 'read', 'delivered']);
    await Promise.all([t.owner.get(`/inbox/${conv}`), t.owner.get(`/inbox/${conv}`)]);
    await settleMarkReads();
    assert.equal(marked(), 2, 'two agents at once still make one call');
    assert.deepEqual(await phoneTicks(), ['read', 'read', 'read']);
  });

  it('a retryable Meta failure keeps the page working and is tried again on the next opening', async () => {
    await customerWrites('¿Siguen ahí?');
    t.sb.sandbox.state.addErrorRule({ route: 'mark_read', code: 131000, times: 1 });
    const r = await t.owner.get(`/inbox/${conv}`);
    assert.equal(r.status, 200);
    await settleMarkReads();
    assert.equal(marked(), 2);
    assert.equal((await inbound()).at(-1)!.read_at, null, 'the claim is released');
    await t.owner.get(`/inbox/${conv}`);
    await settleMarkReads();
    assert.equal(marked(), 3);
    assert.notEqual((await inbound()).at(-1)!.read_at, null);
  });

  it('a final Meta refusal is logged and not repeated on every page view', async () => {
    await customerWrites('Gracias');
    t.sb.sandbox.state.addErrorRule({ route: 'mark_read', code: 100, times: 1 });
    assert.equal((await t.owner.get(`/inbox/${conv}`)).status, 200);
    await settleMarkReads();
    assert.equal((await t.owner.get(`/inbox/${conv}`)).status, 200);
    await settleMarkReads();
    assert.equal(marked(), 3);
    assert.equal(t.sb.sandbox.state.requests.messages, 5, 'five mark-read calls reached the Graph API in all');
  });

  it('a reaction is not something to mark read: the newest real message counts', async () => {
    const target = (await inbound()).at(-1)!.wamid;
    await t.sb.sandbox.simulateInbound({ from: WA, type: 'reaction', reaction: { message_id: target, emoji: '👍' }, phoneNumberId: t.number.phoneNumberId });
    await t.settle();
    assert.equal((await inbound()).at(-1)!.type, 'reaction');
    await t.owner.get(`/inbox/${conv}`);
    await settleMarkReads();
    assert.equal(t.sb.sandbox.state.requests.messages, 5, 'no call for the reaction');
  });
});
