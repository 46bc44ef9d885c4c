import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudApiClient } from '../cloud-api.js';
import { classify } from '../errors.js';
import { textMessage, templateMessage } from '../messages.js';
import { verifySignature } from '../signature.js';
import type { InboundMessageEvent, StatusEvent, TemplateStatusEvent, WebhookEvent } from '../webhook-payload.js';
import { createSandboxServer, SANDBOX_DEFAULTS as D, startReceiver, type Receiver, type Sandbox } from './index.js';

const SECRET = 'test-app-secret';
const CUSTOMER = '5511987654321';

const statusesOf = (events: WebhookEvent[], wamid?: string) =>
  events.filter((e): e is StatusEvent => e.kind === 'status' && (!wamid || e.wamid === wamid)).map((e) => e.status);

describe('simulated customer → signed webhooks', () => {
  let receiver: Receiver;
  let sandbox: Sandbox;
  let client: CloudApiClient;

  before(async () => {
    receiver = await startReceiver({ appSecret: SECRET });
    sandbox = await createSandboxServer({ appSecret: SECRET, webhookUrl: receiver.url });
    client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
  });
  after(async () => {
    await client.close();
    await sandbox.close();
    await receiver.close();
  });

  it("delivers an inbound message with accents and emoji, signed over Meta's escaped bytes", async () => {
    const sim = await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'Olá! Preço: R$ 10/mês 😀', profileName: 'Ana Souza' });
    assert.deepEqual(sim.delivery, { status: 200, attempts: 1 });
    const got = receiver.received.at(-1)!;
    assert.deepEqual(got.raw, sim.body, 'the receiver saw the exact signed bytes');
    assert.equal(got.valid, true);
    const text = got.raw.toString('utf8');
    assert.ok(text.includes('Ol\\u00e1! Pre\\u00e7o: R$ 10\\/m\\u00eas \\ud83d\\ude00'), text);
    assert.equal(verifySignature(Buffer.from(JSON.stringify(JSON.parse(text))), got.signature, SECRET), false);
    const ev = got.events[0] as InboundMessageEvent;
    assert.equal(ev.kind, 'message');
    assert.equal(ev.wamid, sim.wamid);
    assert.deepEqual(ev.content, { type: 'text', text: 'Olá! Preço: R$ 10/mês 😀' });
    assert.deepEqual(ev.contact, { waId: CUSTOMER, name: 'Ana Souza' });
    assert.equal(ev.phoneNumberId, D.phoneNumberId);
    assert.equal(ev.displayPhoneNumber, D.displayPhoneNumber);
    assert.equal(ev.wabaId, D.wabaId);
  });

  it('simulates inbound media the business can download, and interactive replies', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await sandbox.simulateInbound({ from: CUSTOMER, type: 'image', image: { caption: 'foto' }, media: { data: jpeg, mimeType: 'image/jpeg' } });
    const img = receiver.received.at(-1)!.events[0] as InboundMessageEvent;
    assert.equal(img.content.type, 'image');
    const media = img.content.type === 'image' ? img.content.media : undefined;
    assert.equal(media?.caption, 'foto');
    const info = await client.getMediaUrl(media!.id, D.token);
    assert.deepEqual((await client.downloadMedia(info.url, D.token)).data, jpeg);

    await sandbox.simulateInbound({ from: CUSTOMER, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sim' } }, context: { id: 'wamid.X' } });
    const tap = receiver.received.at(-1)!.events[0] as InboundMessageEvent;
    assert.deepEqual(tap.content, { type: 'interactive', reply: { kind: 'button_reply', id: 'yes', title: 'Sim' } });
    assert.equal(tap.context?.id, 'wamid.X');
  });

  it('reports sent → delivered → read with the callback data after a send', async () => {
    const start = receiver.events().length;
    const res = await client.sendMessage(D.phoneNumberId, D.token, textMessage(`+${CUSTOMER}`, 'Oi Ana', { callbackData: 'c:7:r:1' }));
    await sandbox.idle();
    assert.equal(sandbox.markReadByCustomer(res.wamid), true);
    assert.equal(sandbox.markReadByCustomer('wamid.unknown'), false);
    await sandbox.idle();
    const events = receiver.events().slice(start) as StatusEvent[];
    assert.deepEqual(statusesOf(events, res.wamid), ['sent', 'delivered', 'read']);
    assert.ok(events.every((e) => e.callbackData === 'c:7:r:1' && e.recipientId === CUSTOMER));
    assert.deepEqual(events[0]!.pricing, { billable: false, pricingModel: 'PMP', type: 'free_customer_service', category: 'service' });
    assert.ok(receiver.received.every((r) => r.valid));
    assert.equal(sandbox.state.entry(res.wamid)?.status, 'read');
  });

  it('can fail a send asynchronously (200 + wamid, then a failed status)', async () => {
    sandbox.state.addErrorRule({ code: 131049, async: true, times: 1, details: 'marketing cap' });
    const start = receiver.events().length;
    const res = await client.sendMessage(D.phoneNumberId, D.token, textMessage(`+${CUSTOMER}`, 'promo'));
    await sandbox.idle();
    const [failed] = receiver.events().slice(start) as StatusEvent[];
    assert.equal(failed!.wamid, res.wamid);
    assert.equal(failed!.status, 'failed');
    assert.equal(failed!.errors[0]!.code, 131049);
    assert.equal(failed!.errors[0]!.details, 'marketing cap');
    assert.equal(classify(failed!.errors[0]!.code), 'retry_recipient_later');
  });

  it('announces template approval with message_template_status_update', async () => {
    sandbox.state.addTemplate({ name: 'new_offer', language: 'es', category: 'MARKETING', status: 'PENDING' });
    const start = receiver.events().length;
    sandbox.state.approveTemplate('new_offer');
    await sandbox.idle();
    const ev = receiver.events().slice(start)[0] as TemplateStatusEvent;
    assert.equal(ev.kind, 'template_status');
    assert.deepEqual([ev.name, ev.language, ev.event, ev.category, ev.wabaId], ['new_offer', 'es', 'APPROVED', 'MARKETING', D.wabaId]);
    assert.match(ev.templateId, /^\d+$/);
  });
});

describe('webhook delivery modes', () => {
  it('batches statuses per number when asked', async () => {
    const receiver = await startReceiver({ appSecret: SECRET });
    const sandbox = await createSandboxServer({ appSecret: SECRET, webhookUrl: receiver.url, statusWebhooks: { mode: 'batch', batchSize: 10, flushMs: 60_000 } });
    const client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
    try {
      sandbox.state.addTemplate({ name: 'promo', language: 'es', category: 'MARKETING' });
      const sends = await Promise.all(
        Array.from({ length: 12 }, (_, i) => client.sendMessage(D.phoneNumberId, D.token, templateMessage(`+5215500000${String(i).padStart(3, '0')}`, { name: 'promo', language: 'es' }, { callbackData: `r:${i}` }))),
      );
      await sandbox.idle();
      const events = receiver.events() as StatusEvent[];
      assert.equal(events.length, 24);
      assert.deepEqual(receiver.received.map((r) => r.events.length), [10, 10, 4]);
      for (const [i, s] of sends.entries()) {
        assert.deepEqual(statusesOf(events, s.wamid), ['sent', 'delivered']);
        assert.ok(events.filter((e) => e.wamid === s.wamid).every((e) => e.callbackData === `r:${i}` && e.pricing?.category === 'marketing'));
      }
    } finally {
      await client.close();
      await sandbox.close();
      await receiver.close();
    }
  });

  it('retries a webhook the receiver refused, and can be turned off', async () => {
    const receiver = await startReceiver({ appSecret: SECRET, statusFor: (n) => (n === 0 ? 500 : 200) });
    const sandbox = await createSandboxServer({ appSecret: SECRET, webhookUrl: receiver.url, statusWebhooks: 'off' });
    const client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
    try {
      const sim = await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'oi' });
      assert.deepEqual(sim.delivery, { status: 200, attempts: 2 });
      assert.equal(sandbox.webhookStats().retried, 1);
      await client.sendMessage(D.phoneNumberId, D.token, textMessage(`+${CUSTOMER}`, 'x'));
      await sandbox.idle();
      assert.deepEqual(receiver.events().map((e) => e.kind), ['message']);
    } finally {
      await client.close();
      await sandbox.close();
      await receiver.close();
    }
  });

  it('rejects a forged signature at the receiver', async () => {
    const receiver = await startReceiver({ appSecret: 'another-secret' });
    const sandbox = await createSandboxServer({ appSecret: SECRET, webhookUrl: receiver.url });
    try {
      await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'oi' });
      assert.equal(receiver.received[0]!.valid, false);
      assert.deepEqual(receiver.events(), []);
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });
});

describe('sandbox state', () => {
  it('expires media URLs after 5 minutes (deterministic clock)', async () => {
    let now = 1_800_000_000_000;
    const sandbox = await createSandboxServer({ clock: { now: () => now } });
    const client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
    try {
      const { id } = await client.uploadMedia(D.phoneNumberId, D.token, { data: Buffer.from('hello'), mimeType: 'text/plain', filename: 'a.txt' });
      const { url } = await client.getMediaUrl(id, D.token);
      now += 4 * 60_000;
      assert.equal((await client.downloadMedia(url, D.token)).data.toString(), 'hello');
      now += 2 * 60_000;
      await assert.rejects(client.downloadMedia(url, D.token), (e: unknown) => (e as { httpStatus?: number }).httpStatus === 404);
      const fresh = await client.getMediaUrl(id, D.token);
      assert.equal((await client.downloadMedia(fresh.url, D.token)).data.toString(), 'hello');
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it('keeps a bounded conversation log per recipient with both directions', async () => {
    const sandbox = await createSandboxServer({ logLimitPerRecipient: 3 });
    const client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
    try {
      const inbound = await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'oi' });
      for (const t of ['a', 'b', 'c']) await client.sendMessage(D.phoneNumberId, D.token, textMessage(`+${CUSTOMER}`, t));
      const log = sandbox.state.messagesFor(CUSTOMER);
      assert.deepEqual(log.map((e) => (e.body as { text: { body: string } }).text.body), ['a', 'b', 'c']);
      assert.equal(sandbox.state.entry(inbound.wamid), undefined, 'oldest entry evicted');
      assert.deepEqual(sandbox.state.recipients(), [CUSTOMER]);
      assert.equal(sandbox.state.stats.accepted, 3);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
