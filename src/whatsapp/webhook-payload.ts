// Tolerant parser of the webhook envelope (cloud-api.md §5.4–5.6, §6): loops
// entry[] × changes[] × items, returns normalised events plus whatever it
// ignored. It never throws: Meta adds fields and types over time.
import { arr, bool, defined, idStr, isObj, num, obj, str, type Json } from './json-read.js';
import { readContent, readErrors } from './webhook-inbound.js';
import type {
  ContactRef,
  DeliveryStatus,
  IgnoredItem,
  InboundMessageEvent,
  NumberRef,
  ParsedWebhook,
  StatusEvent,
  TemplateStatusEvent,
  WebhookEvent,
} from './webhook-types.js';

export * from './webhook-types.js';

const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'played', 'failed']);

/** Parses a webhook body (raw bytes, text or already-parsed JSON). */
export function parseWebhookPayload(input: unknown): ParsedWebhook {
  const events: WebhookEvent[] = [];
  const ignored: IgnoredItem[] = [];
  let root: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      root = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
    } catch {
      return { events, ignored: [{ reason: 'invalid_json', raw: null }] };
    }
  }
  const body = obj(root);
  if (!body || str(body.object) !== 'whatsapp_business_account') {
    return { events, ignored: [{ reason: 'not_whatsapp_business_account', raw: root }] };
  }
  for (const e of arr(body.entry)) {
    const entry = obj(e);
    if (!entry) {
      ignored.push({ reason: 'bad_entry', raw: e });
      continue;
    }
    const wabaId = idStr(entry.id) ?? '';
    const time = num(entry.time);
    for (const c of arr(entry.changes)) {
      const change = obj(c);
      const field = str(change?.field);
      const value = obj(change?.value);
      if (!change || !field || !value) {
        ignored.push({ field, wabaId, reason: 'bad_change', raw: c });
      } else if (field === 'messages') {
        readMessagesValue(wabaId, value, events, ignored);
      } else if (field === 'message_template_status_update') {
        const ev = templateStatus(wabaId, time, value);
        if (ev) events.push(ev);
        else ignored.push({ field, wabaId, reason: 'bad_template_status', raw: value });
      } else {
        ignored.push({ field, wabaId, reason: 'unhandled_field', raw: value });
      }
    }
  }
  return { events, ignored };
}

function contactsOf(value: Json): ContactRef[] {
  return arr(value.contacts).flatMap((c) => {
    const o = obj(c);
    if (!o) return [];
    const profile = obj(o.profile) ?? {};
    return [defined({ waId: str(o.wa_id) ?? '', name: str(profile.name), userId: str(o.user_id), username: str(profile.username) })];
  });
}

/** Matches a contact by wa_id, then BSUID, then the only one present when ids are blank (username users). */
function findContact(contacts: ContactRef[], waId: string | undefined, userId: string | undefined): ContactRef | undefined {
  const only = contacts.length === 1 ? contacts[0] : undefined;
  return (
    (waId ? contacts.find((c) => c.waId === waId) : undefined) ??
    (userId ? contacts.find((c) => c.userId === userId) : undefined) ??
    (only && (!waId || !only.waId) ? only : undefined)
  );
}

function readMessagesValue(wabaId: string, value: Json, events: WebhookEvent[], ignored: IgnoredItem[]): void {
  const meta = obj(value.metadata) ?? {};
  const ref: NumberRef = {
    wabaId,
    phoneNumberId: idStr(meta.phone_number_id) ?? '',
    displayPhoneNumber: idStr(meta.display_phone_number) ?? '',
  };
  const contacts = contactsOf(value);
  for (const m of arr(value.messages)) {
    const ev = isObj(m) ? inboundMessage(ref, m, contacts) : undefined;
    if (ev) events.push(ev);
    else ignored.push({ field: 'messages', wabaId, reason: 'bad_message', raw: m });
  }
  for (const s of arr(value.statuses)) {
    const ev = isObj(s) ? statusEvent(ref, s, contacts) : undefined;
    if (ev) events.push(ev);
    else ignored.push({ field: 'messages', wabaId, reason: 'bad_status', raw: s });
  }
  for (const error of readErrors(value.errors)) events.push({ kind: 'error', ...ref, error });
  if (!('messages' in value) && !('statuses' in value) && !('errors' in value)) {
    ignored.push({ field: 'messages', wabaId, reason: 'empty_value', raw: value });
  }
}

function inboundMessage(ref: NumberRef, m: Json, contacts: ContactRef[]): InboundMessageEvent | undefined {
  const wamid = str(m.id);
  const from = str(m.from);
  if (!wamid || from === undefined) return undefined;
  const fromUserId = str(m.from_user_id);
  const contact = findContact(contacts, from, fromUserId) ?? { waId: from };
  const ctx = obj(m.context);
  const ev: InboundMessageEvent = {
    kind: 'message',
    ...ref,
    wamid,
    from,
    timestamp: num(m.timestamp) ?? 0,
    contact,
    content: readContent(m),
    errors: readErrors(m.errors),
  };
  if (fromUserId) ev.fromUserId = fromUserId;
  if (ctx) {
    ev.context = defined({
      from: str(ctx.from),
      id: str(ctx.id),
      forwarded: bool(ctx.forwarded),
      frequentlyForwarded: bool(ctx.frequently_forwarded),
    });
  }
  const referral = obj(m.referral);
  if (referral) ev.referral = referral;
  return ev;
}

function statusEvent(ref: NumberRef, s: Json, contacts: ContactRef[]): StatusEvent | undefined {
  const wamid = str(s.id);
  const status = str(s.status);
  if (!wamid || !status || !STATUSES.has(status)) return undefined;
  const recipientId = str(s.recipient_id) ?? '';
  const recipientUserId = str(s.recipient_user_id);
  const ev: StatusEvent = defined({
    kind: 'status' as const,
    ...ref,
    wamid,
    status: status as DeliveryStatus,
    timestamp: num(s.timestamp) ?? 0,
    recipientId,
    recipientUserId,
    recipientType: str(s.recipient_type),
    callbackData: str(s.biz_opaque_callback_data),
    contact: contacts.length ? findContact(contacts, recipientId || undefined, recipientUserId) : undefined,
    errors: readErrors(s.errors),
  });
  const pricing = obj(s.pricing);
  if (pricing) {
    ev.pricing = defined({
      billable: bool(pricing.billable),
      pricingModel: str(pricing.pricing_model),
      type: str(pricing.type),
      category: str(pricing.category),
    });
  }
  const conv = obj(s.conversation);
  if (conv) {
    ev.conversation = defined({
      id: str(conv.id),
      expirationTimestamp: num(conv.expiration_timestamp),
      originType: str(obj(conv.origin)?.type),
    });
  }
  return ev;
}

function templateStatus(wabaId: string, time: number | undefined, v: Json): TemplateStatusEvent | undefined {
  const templateId = idStr(v.message_template_id);
  const event = str(v.event);
  if (!templateId || !event) return undefined;
  const other = obj(v.other_info);
  const rejection = obj(v.rejection_info);
  return defined({
    kind: 'template_status' as const,
    wabaId,
    time,
    templateId,
    name: str(v.message_template_name) ?? '',
    language: str(v.message_template_language) ?? '',
    event,
    reason: v.reason === null ? null : str(v.reason),
    category: str(v.message_template_category),
    otherInfo: other ? defined({ title: str(other.title), description: str(other.description) }) : undefined,
    disableDate: idStr(obj(v.disable_info)?.disable_date),
    rejectionInfo: rejection ? defined({ reason: str(rejection.reason), recommendation: str(rejection.recommendation) }) : undefined,
  });
}

// ---- helpers for idempotent processing (§5.3) ----

const RANK: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 0 };

/**
 * The status to keep when `incoming` arrives while `current` is stored:
 * never backwards (sent < delivered < read < played); `failed` only replaces
 * nothing/sent, and a later delivered/read overrides `failed`.
 */
export function nextStatus(current: DeliveryStatus | undefined, incoming: DeliveryStatus): DeliveryStatus {
  if (!current) return incoming;
  if (incoming === 'failed') return current === 'sent' ? 'failed' : current;
  if (current === 'failed') return incoming === 'sent' ? 'failed' : incoming;
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Key for deduplicating re-delivered events. */
export function dedupeKey(ev: WebhookEvent): string {
  switch (ev.kind) {
    case 'message':
      return `m:${ev.wamid}`;
    case 'status':
      return `s:${ev.wamid}:${ev.status}`;
    case 'error':
      return `e:${ev.phoneNumberId}:${ev.error.code}:${ev.error.details ?? ''}`;
    case 'template_status':
      return `t:${ev.templateId}:${ev.event}:${ev.time ?? ''}`;
  }
}
