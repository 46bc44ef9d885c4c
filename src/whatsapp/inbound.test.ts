// Every inbound type of cloud-api.md §5.5 through signed POSTs to
// /webhooks/whatsapp (the sandbox's simulated customer), then the worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startChannelTest, inboundWebhook, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
const FROM = '5215533334444';
before(async () => {
  t = await startChannelTest({ samples: false });
});
after(async () => t.close());

async function deliver(spec: Record<string, unknown>) {
  const sent = await t.sb.sandbox.simulateInbound({ from: FROM, profileName: 'María Gómez', ...spec } as never);
  assert.equal(sent.delivery?.status, 200);
  await t.work();
  const row = await t.app.deps.db('messages').where({ wamid: sent.wamid }).first();
  assert.ok(row, `stored ${String(spec.type)}`);
  return { row, payload: JSON.parse(row.payload), wamid: sent.wamid };
}

describe('inbound types', () => {
  it('text', async () => {
    const { row } = await deliver({ type: 'text', text: 'Hola 👋' });
    assert.equal(row.type, 'text');
    assert.equal(row.body, 'Hola 👋');
    assert.equal(row.status, 'received');
  });

  for (const kind of ['image', 'audio', 'video', 'document', 'sticker'] as const) {
    it(`${kind}: stored with a media row and downloaded into uploads/media, served to staff only`, async () => {
      const data = Buffer.from(`fake ${kind} bytes ${kind.repeat(20)}`);
      const mime = { image: 'image/jpeg', audio: 'audio/ogg', video: 'video/mp4', document: 'application/pdf', sticker: 'image/webp' }[kind];
      const extra = kind === 'image' || kind === 'document' ? { [kind]: { caption: `mi ${kind}` } } : {};
      const { row } = await deliver({ type: kind, media: { data, mimeType: mime, filename: kind === 'document' ? 'receta.pdf' : undefined }, ...extra });
      assert.equal(row.type, kind);
      const media = await t.app.deps.db('media').where({ id: row.media_id }).first();
      assert.equal(media.status, 'stored');
      assert.equal(Number(media.size_bytes), data.length);
      const r = await t.owner.get(`/media/${media.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.text, data.toString());
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      const anon = await t.app.client().get(`/media/${media.id}`);
      assert.equal(anon.status, 302);
      if (kind === 'image') assert.equal(row.body, 'mi image');
    });
  }

  it('location', async () => {
    const { row, payload } = await deliver({ type: 'location', location: { latitude: 19.4326, longitude: -99.1332, name: 'Zócalo', address: 'Centro, CDMX' } });
    assert.equal(row.body, 'Zócalo — Centro, CDMX');
    assert.equal(payload.content.latitude, 19.4326);
  });

  it('contacts', async () => {
    const { row } = await deliver({ type: 'contacts', contacts: [{ name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+52 55 1234 0000', wa_id: '5215512340000', type: 'CELL' }] }] });
    assert.equal(row.body, 'Luis Pérez');
  });

  it('interactive button_reply, list_reply and nfm_reply', async () => {
    let r = await deliver({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Confirmar' } }, context: { id: 'wamid.out1' } });
    assert.equal(r.row.body, 'Confirmar');
    assert.equal(r.payload.context.id, 'wamid.out1');
    r = await deliver({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r2', title: 'Martes', description: 'Por la tarde' } } });
    assert.equal(r.row.body, 'Martes');
    r = await deliver({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Enviado', response_json: '{"a":1}' } } });
    assert.equal(r.row.body, 'Enviado');
  });

  it('button (template quick reply)', async () => {
    const { row, payload } = await deliver({ type: 'button', button: { text: 'Parar promociones', payload: 'STOP_PROMO' } });
    assert.equal(row.type, 'button');
    assert.equal(payload.content.payload, 'STOP_PROMO');
  });

  it('reaction, system, order, request_welcome and unsupported', async () => {
    assert.equal((await deliver({ type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '❤️' } })).row.body, '❤️');
    const sys = await deliver({ type: 'system', system: { body: 'María cambió su número', type: 'customer_changed_number', wa_id: '5215599990000' } });
    assert.equal(sys.row.type, 'system');
    assert.equal((await deliver({ type: 'order', order: { catalog_id: 'c1', text: 'Quiero esto', product_items: [{ product_retailer_id: 'sku1', quantity: 2, item_price: 10, currency: 'MXN' }] } })).row.type, 'order');
    assert.equal((await deliver({ type: 'request_welcome' })).row.type, 'request_welcome');
    const un = await deliver({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] });
    assert.equal(un.row.type, 'unsupported');
    const future = await deliver({ type: 'hologram', hologram: { x: 1 } });
    assert.equal(future.row.type, 'unsupported');
  });
});

describe('inbound bookkeeping', () => {
  it('one contact (found by wa_key, never duplicated), one conversation; unread and window follow the messages; system messages do not count', async () => {
    const contacts = await t.app.deps.db('contacts').where({ wa_id: FROM });
    assert.equal(contacts.length, 1);
    const conv = await t.app.deps.db('conversations').where({ contact_id: contacts[0].id }).first();
    const inbound = await t.app.deps.db('messages').where({ conversation_id: conv.id, direction: 'in' }).whereNot({ type: 'system' }).count({ n: '*' }).first();
    assert.equal(Number(conv.unread_count), Number(inbound!.n));
    assert.equal(Number(conv.last_inbound_at), t.app.clock.now() - (t.app.clock.now() % 1000));
    assert.ok(contacts[0].last_inbound_at, 'contacts.last_inbound_at set');
    const activity = await t.app.deps.db('contact_activity').where({ contact_id: contacts[0].id, kind: 'message_in' }).count({ n: '*' }).first();
    assert.ok(Number(activity!.n) >= 18, `activity rows: ${activity!.n}`);
  });

  it('the MX variant 52… of a known 521… wa_id maps to the same contact', async () => {
    const r = await t.postWebhook(inboundWebhook(t.number, '525533334444', 'María', { id: 'wamid.variant1', type: 'text', text: { body: 'otra vez' } }, t.app.clock.now()));
    assert.equal(r.status, 200);
    await t.work();
    const row = await t.app.deps.db('messages').where({ wamid: 'wamid.variant1' }).first();
    const contact = await t.app.deps.db('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.wa_key, '525533334444');
    assert.equal((await t.app.deps.db('contacts').where({ wa_key: '525533334444' })).length, 1);
  });

  it('a re-delivered message (same wamid, batched twice in one POST and again later) is stored once', async () => {
    const msg = { id: 'wamid.dup1', type: 'text', text: { body: 'duplicado' } };
    const body = inboundWebhook(t.number, FROM, 'María', msg, t.app.clock.now()) as { entry: Array<{ changes: Array<{ value: { messages: unknown[] } }> }> };
    body.entry[0]!.changes[0]!.value.messages.push({ from: FROM, timestamp: '1', ...msg });
    assert.equal((await t.postWebhook(body)).status, 200);
    assert.equal((await t.postWebhook(body)).status, 200);
    await t.work();
    assert.equal((await t.app.deps.db('messages').where({ wamid: 'wamid.dup1' })).length, 1);
    const done = await t.app.deps.db('webhook_events').where({ status: 'done' }).count({ n: '*' }).first();
    assert.ok(Number(done!.n) >= 2, 'both deliveries processed');
  });

  it('messages for a number we do not have are ignored without failing the event', async () => {
    const other = { ...t.number, phoneNumberId: '999999999', wabaId: '888' };
    assert.equal((await t.postWebhook(inboundWebhook(other, FROM, 'X', { id: 'wamid.other', type: 'text', text: { body: 'x' } }, t.app.clock.now()))).status, 200);
    await t.work();
    assert.equal(await t.app.deps.db('messages').where({ wamid: 'wamid.other' }).first(), undefined);
    assert.equal((await t.app.deps.db('webhook_events').orderBy('id', 'desc').first()).status, 'done');
  });

  it('emits message.received and conversation.updated after the commit', async () => {
    const seen: string[] = [];
    const off1 = t.app.deps.events.on('message.received', () => seen.push('received'));
    const off2 = t.app.deps.events.on('conversation.updated', () => seen.push('conversation'));
    await deliver({ type: 'text', text: 'evento' });
    off1(); off2();
    assert.deepEqual(seen, ['received', 'conversation']);
  });
});
