import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metaJsonStringify } from './signature.js';
import { ANA, envelope, INBOUND, METADATA, status, TEMPLATE_APPROVED, WABA } from './testdata/webhooks.js';
import {
  dedupeKey,
  nextStatus,
  parseWebhookPayload,
  type DeliveryStatus,
  type InboundMessageEvent,
  type StatusEvent,
  type WebhookEvent,
} from './webhook-payload.js';

function only(payload: unknown): InboundMessageEvent {
  const { events, ignored } = parseWebhookPayload(payload);
  assert.deepEqual(ignored, []);
  assert.equal(events.length, 1);
  const [ev] = events;
  assert.equal(ev!.kind, 'message');
  return ev as InboundMessageEvent;
}

describe('parseWebhookPayload: inbound messages', () => {
  it('normalises a text message with contact and metadata', () => {
    const ev = only(INBOUND.text);
    assert.equal(ev.wabaId, WABA);
    assert.equal(ev.phoneNumberId, METADATA.phone_number_id);
    assert.equal(ev.displayPhoneNumber, METADATA.display_phone_number);
    assert.equal(ev.from, ANA.wa_id);
    assert.deepEqual(ev.contact, { waId: ANA.wa_id, name: 'Ana Souza' });
    assert.equal(ev.timestamp, 1761830400);
    assert.match(ev.wamid, /^wamid\.IN/);
    assert.deepEqual(ev.content, { type: 'text', text: 'Olá, ainda tem o plano anual?' });
  });

  it('reads every media type', () => {
    assert.deepEqual(only(INBOUND.image).content, { type: 'image', media: { id: '1479537139650973', mimeType: 'image/jpeg', sha256: 'abc=', caption: 'Recibo' } });
    assert.deepEqual(only(INBOUND.audio).content, { type: 'audio', media: { id: '2', mimeType: 'audio/ogg; codecs=opus', sha256: 'h', voice: true } });
    assert.deepEqual(only(INBOUND.video).content, { type: 'video', media: { id: '3', mimeType: 'video/mp4', sha256: 'h' } });
    assert.deepEqual(only(INBOUND.document).content, {
      type: 'document',
      media: { id: '4', mimeType: 'application/pdf', sha256: 'h', filename: 'boleto.pdf', caption: 'Boleto' },
    });
    assert.deepEqual(only(INBOUND.sticker).content, {
      type: 'sticker',
      media: { id: '5', mimeType: 'image/webp', sha256: 'h', animated: false, url: 'https://lookaside.example/5' },
    });
  });

  it('reads location, contacts, order and request_welcome', () => {
    assert.deepEqual(only(INBOUND.location).content, { type: 'location', latitude: -23.55, longitude: -46.63, name: 'Escritório', address: 'Av. Paulista, 1000' });
    const c = only(INBOUND.contacts).content;
    assert.equal(c.type, 'contacts');
    assert.deepEqual(c.type === 'contacts' && c.contacts.map(({ name, phones }) => ({ name, phones })), [
      { name: 'João Silva', phones: [{ phone: '+55 11 91234-5678', waId: '5511912345678', type: 'CELL' }] },
    ]);
    assert.deepEqual(only(INBOUND.order).content, {
      type: 'order',
      catalogId: 'cat1',
      text: 'Quero isso',
      items: [{ productRetailerId: 'sku1', quantity: 2, itemPrice: 9.9, currency: 'BRL' }],
    });
    assert.deepEqual(only(INBOUND.request_welcome).content, { type: 'request_welcome' });
  });

  it('reads interactive replies, template quick replies and context', () => {
    const b = only(INBOUND.button_reply);
    assert.deepEqual(b.content, { type: 'interactive', reply: { kind: 'button_reply', id: 'confirm', title: 'Confirmar' } });
    assert.deepEqual(b.context, { from: '15550783881', id: 'wamid.OUT1' });
    assert.deepEqual(only(INBOUND.list_reply).content, { type: 'interactive', reply: { kind: 'list_reply', id: 'r2', title: 'Plano anual', description: '12 meses' } });
    assert.deepEqual(only(INBOUND.nfm_reply).content, { type: 'interactive', reply: { kind: 'nfm_reply', name: 'flow', body: 'Sent', responseJson: '{"a":1}' } });
    const t = only(INBOUND.button);
    assert.deepEqual(t.content, { type: 'button', text: 'Parar promoções', payload: 'STOP_PROMO' });
    assert.equal(t.context?.id, 'wamid.TPL1');
  });

  it('reads reactions (and their removal), system messages and referrals', () => {
    assert.deepEqual(only(INBOUND.reaction).content, { type: 'reaction', messageId: 'wamid.OUT1', emoji: '❤️' });
    assert.deepEqual(only(INBOUND.reaction_removed).content, { type: 'reaction', messageId: 'wamid.OUT1' });
    assert.deepEqual(only(INBOUND.system).content, {
      type: 'system',
      systemType: 'customer_changed_number',
      body: 'Ana changed from 5511987654321 to 5511987650000',
      waId: '5511987650000',
    });
    assert.equal(only(INBOUND.referral).referral?.ctwa_clid, 'clid1');
  });

  it('keeps unsupported and unknown types as unsupported with raw and errors', () => {
    const u = only(INBOUND.unsupported);
    assert.equal(u.content.type, 'unsupported');
    assert.deepEqual(u.errors, [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.' }]);
    const f = only(INBOUND.future_type);
    assert.deepEqual(f.content.type === 'unsupported' && [f.content.originalType, (f.content.raw as { hologram: unknown }).hologram], ['hologram', { id: 'h1' }]);
    const broken = only(envelope({ contacts: [ANA], messages: [{ from: '1', id: 'wamid.B', timestamp: 'x', type: 'text', text: 'not-an-object' }] }));
    assert.equal(broken.content.type, 'unsupported');
    assert.equal(broken.timestamp, 0);
    assert.deepEqual(broken.contact, { waId: '1' });
  });

  it("parses Meta's escaped form and raw bytes identically", () => {
    const fromBytes = parseWebhookPayload(Buffer.from(metaJsonStringify(INBOUND.text)));
    assert.deepEqual(fromBytes, parseWebhookPayload(INBOUND.text));
  });
});

function statuses(payload: unknown): StatusEvent[] {
  return parseWebhookPayload(payload).events.filter((e): e is StatusEvent => e.kind === 'status');
}

describe('parseWebhookPayload: statuses', () => {
  const pricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };

  it('reads sent with callback data and pricing', () => {
    const [s] = statuses(envelope({ statuses: [status('wamid.OUT1', 'sent', { biz_opaque_callback_data: 'c:42:r:9001', pricing })] }));
    assert.deepEqual(s, {
      kind: 'status',
      wabaId: WABA,
      phoneNumberId: METADATA.phone_number_id,
      displayPhoneNumber: METADATA.display_phone_number,
      wamid: 'wamid.OUT1',
      status: 'sent',
      timestamp: 1761830402,
      recipientId: ANA.wa_id,
      callbackData: 'c:42:r:9001',
      errors: [],
      pricing: { billable: true, pricingModel: 'PMP', type: 'regular', category: 'marketing' },
    });
  });

  it('reads failed statuses with errors[] (131047 outside the window)', () => {
    const [s] = statuses(
      envelope({
        statuses: [
          status('wamid.OUT3', 'failed', {
            errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'more than 24 hours' }, href: '/x' }],
          }),
        ],
      }),
    );
    assert.equal(s!.status, 'failed');
    assert.deepEqual(s!.errors, [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', details: 'more than 24 hours', href: '/x' }]);
  });

  it('keeps batched, duplicated and out-of-order statuses as delivered to us', () => {
    const batch = envelope({
      statuses: [
        status('wamid.A', 'read'),
        status('wamid.A', 'sent'),
        status('wamid.B', 'delivered', { conversation: { id: 'conv1', expiration_timestamp: '1761916800', origin: { type: 'service' } } }),
        status('wamid.A', 'delivered'),
        status('wamid.A', 'read'),
        status('wamid.C', 'deleted'),
      ],
    });
    const { events, ignored } = parseWebhookPayload(batch);
    assert.deepEqual(events.map((e) => (e as StatusEvent).wamid + ':' + (e as StatusEvent).status), ['wamid.A:read', 'wamid.A:sent', 'wamid.B:delivered', 'wamid.A:delivered', 'wamid.A:read']);
    assert.deepEqual((events[2] as StatusEvent).conversation, { id: 'conv1', expirationTimestamp: 1761916800, originType: 'service' });
    assert.deepEqual(ignored.map((i) => i.reason), ['bad_status']);

    // Applying them with the §5.3 rules: dedupe on (wamid,status), never move backwards.
    const seen = new Set<string>();
    const stored = new Map<string, DeliveryStatus>();
    let applied = 0;
    for (const e of events as StatusEvent[]) {
      if (seen.has(dedupeKey(e))) continue;
      seen.add(dedupeKey(e));
      applied++;
      stored.set(e.wamid, nextStatus(stored.get(e.wamid), e.status));
    }
    assert.equal(applied, 4);
    assert.deepEqual(Object.fromEntries(stored), { 'wamid.A': 'read', 'wamid.B': 'delivered' });
  });

  it('orders statuses forward only, with failed terminal unless delivered/read follows', () => {
    assert.equal(nextStatus('read', 'delivered'), 'read');
    assert.equal(nextStatus('delivered', 'read'), 'read');
    assert.equal(nextStatus('sent', 'failed'), 'failed');
    assert.equal(nextStatus('delivered', 'failed'), 'delivered');
    assert.equal(nextStatus('failed', 'sent'), 'failed');
    assert.equal(nextStatus('failed', 'delivered'), 'delivered');
    assert.equal(nextStatus(undefined, 'read'), 'read');
    assert.equal(nextStatus('read', 'played'), 'played');
  });

  it('attaches contacts to statuses when present and reads BSUID fields', () => {
    const [s] = statuses(envelope({ contacts: [ANA], statuses: [status('wamid.D', 'delivered', { recipient_id: '', recipient_user_id: 'user.abc' })] }));
    assert.equal(s!.recipientId, '');
    assert.equal(s!.recipientUserId, 'user.abc');
    assert.deepEqual(s!.contact, { waId: ANA.wa_id, name: 'Ana Souza' });
  });

  it('emits value-level errors as error events', () => {
    const { events } = parseWebhookPayload(envelope({ errors: [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'slow down' } }] }));
    assert.deepEqual(events, [{ kind: 'error', wabaId: WABA, ...{ phoneNumberId: METADATA.phone_number_id, displayPhoneNumber: METADATA.display_phone_number }, error: { code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', details: 'slow down' } }]);
  });
});

describe('parseWebhookPayload: templates, unknown fields, garbage', () => {
  it('reads message_template_status_update', () => {
    const { events } = parseWebhookPayload(TEMPLATE_APPROVED);
    assert.deepEqual(events, [
      {
        kind: 'template_status',
        wabaId: WABA,
        time: 1751247548,
        templateId: '1689556908129832',
        name: 'order_confirmation',
        language: 'en-US',
        event: 'APPROVED',
        reason: 'NONE',
        category: 'UTILITY',
      },
    ]);
  });

  it('reads pause info and a null reason', () => {
    const value = { event: 'PAUSED', message_template_id: 7, message_template_name: 'promo', message_template_language: 'es', reason: null, other_info: { title: 'FIRST_PAUSE', description: 'low quality' } };
    const [ev] = parseWebhookPayload({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'message_template_status_update', value }] }] }).events;
    assert.equal(ev!.kind === 'template_status' && ev!.reason, null);
    assert.deepEqual(ev!.kind === 'template_status' && ev!.otherInfo, { title: 'FIRST_PAUSE', description: 'low quality' });
  });

  it('keeps unknown fields in ignored alongside real events, never throwing', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          time: 1,
          changes: [
            { field: 'phone_number_quality_update', value: { event: 'THROUGHPUT_UPGRADE', current_limit: 'TIER_10K' } },
            (INBOUND.text.entry as Array<{ changes: unknown[] }>)[0]!.changes[0],
            { field: 'messages' },
            'garbage',
          ],
        },
        null,
      ],
    };
    const { events, ignored } = parseWebhookPayload(payload);
    assert.deepEqual(events.map((e: WebhookEvent) => e.kind), ['message']);
    assert.deepEqual(ignored.map((i) => [i.field, i.reason]), [
      ['phone_number_quality_update', 'unhandled_field'],
      ['messages', 'bad_change'],
      [undefined, 'bad_change'],
      [undefined, 'bad_entry'],
    ]);
    assert.deepEqual((ignored[0]!.raw as { event: string }).event, 'THROUGHPUT_UPGRADE');
  });

  it('survives any input', () => {
    for (const junk of [null, undefined, 42, 'not json', Buffer.from('{"object":'), [], { object: 'page' }, { object: 'whatsapp_business_account', entry: 'x' }]) {
      const r = parseWebhookPayload(junk);
      assert.deepEqual(r.events, []);
    }
    assert.equal(parseWebhookPayload('{"object":').ignored[0]!.reason, 'invalid_json');
    assert.equal(parseWebhookPayload({ object: 'page' }).ignored[0]!.reason, 'not_whatsapp_business_account');
  });
});
