// Turns one `messages[]` item of a webhook into normalised content (§5.5).
// Anything unexpected becomes `unsupported` with the raw object kept.
import { arr, bool, defined, idStr, num, obj, str, type Json } from './json-read.js';
import type { InboundContent, InboundMedia, InboundMediaType, InteractiveReply, SharedContact, WebhookError } from './webhook-types.js';

const MEDIA_TYPES = new Set<string>(['image', 'audio', 'video', 'document', 'sticker']);

export function readErrors(v: unknown): WebhookError[] {
  const out: WebhookError[] = [];
  for (const item of arr(v)) {
    const e = obj(item);
    const code = num(e?.code);
    if (!e || code === undefined) continue;
    out.push(
      defined({
        code,
        title: str(e.title),
        message: str(e.message),
        details: str(obj(e.error_data)?.details),
        href: str(e.href),
      }),
    );
  }
  return out;
}

function media(m: Json): InboundMedia | undefined {
  const id = idStr(m.id);
  if (!id) return undefined;
  return defined({
    id,
    mimeType: str(m.mime_type),
    sha256: str(m.sha256),
    caption: str(m.caption),
    filename: str(m.filename),
    url: str(m.url),
    voice: bool(m.voice),
    animated: bool(m.animated),
  });
}

function interactive(i: Json): InteractiveReply | undefined {
  const type = str(i.type);
  if (type === 'button_reply' || type === 'list_reply') {
    const r = obj(i[type]);
    const id = str(r?.id);
    if (!r || id === undefined) return undefined;
    if (type === 'button_reply') return { kind: 'button_reply', id, title: str(r.title) ?? '' };
    return defined({ kind: 'list_reply' as const, id, title: str(r.title) ?? '', description: str(r.description) });
  }
  if (type === 'nfm_reply') {
    const r = obj(i.nfm_reply) ?? {};
    return defined({ kind: 'nfm_reply' as const, name: str(r.name), body: str(r.body), responseJson: str(r.response_json) });
  }
  return undefined;
}

function sharedContacts(v: unknown): SharedContact[] {
  return arr(v).map((c) => {
    const card = obj(c) ?? {};
    const name = str(obj(card.name)?.formatted_name);
    const phones = arr(card.phones).map((p) => {
      const ph = obj(p) ?? {};
      return defined({ phone: str(ph.phone), waId: str(ph.wa_id), type: str(ph.type) });
    });
    return defined({ name, phones, raw: c });
  });
}

function order(o: Json): InboundContent {
  const items = arr(o.product_items).map((it) => {
    const i = obj(it) ?? {};
    return defined({
      productRetailerId: str(i.product_retailer_id),
      quantity: num(i.quantity),
      itemPrice: num(i.item_price),
      currency: str(i.currency),
    });
  });
  return defined({ type: 'order' as const, catalogId: str(o.catalog_id), text: str(o.text), items });
}

/** Content of one inbound message; never throws. */
export function readContent(m: Json): InboundContent {
  const type = str(m.type) ?? 'unknown';
  const unsupported: InboundContent = { type: 'unsupported', originalType: type, raw: m };
  const body = obj(m[type]);
  if (type === 'text') {
    const text = str(body?.body);
    return text === undefined ? unsupported : { type: 'text', text };
  }
  if (MEDIA_TYPES.has(type)) {
    const md = body && media(body);
    return md ? { type: type as InboundMediaType, media: md } : unsupported;
  }
  switch (type) {
    case 'location': {
      const lat = num(body?.latitude);
      const lng = num(body?.longitude);
      if (!body || lat === undefined || lng === undefined) return unsupported;
      return defined({ type: 'location' as const, latitude: lat, longitude: lng, name: str(body.name), address: str(body.address), url: str(body.url) });
    }
    case 'contacts':
      return Array.isArray(m.contacts) ? { type: 'contacts', contacts: sharedContacts(m.contacts) } : unsupported;
    case 'interactive': {
      const reply = body && interactive(body);
      return reply ? { type: 'interactive', reply } : unsupported;
    }
    case 'button': {
      const text = str(body?.text);
      return text === undefined ? unsupported : defined({ type: 'button' as const, text, payload: str(body?.payload) });
    }
    case 'reaction': {
      const messageId = str(body?.message_id);
      return messageId === undefined ? unsupported : defined({ type: 'reaction' as const, messageId, emoji: str(body?.emoji) || undefined });
    }
    case 'system':
      return defined({
        type: 'system' as const,
        systemType: str(body?.type),
        body: str(body?.body),
        waId: str(body?.wa_id) ?? str(body?.new_wa_id),
        userId: str(body?.user_id),
      });
    case 'order':
      return body ? order(body) : unsupported;
    case 'request_welcome':
      return { type: 'request_welcome' };
    default:
      return unsupported;
  }
}
