// One inbound message from a webhook → contact (found or created by wa_key),
// conversation (unread +1, window restarts), message row (deduplicated by
// wamid), media row, timeline entry and, for opt-out keywords, the opt-out —
// all in one transaction. Replies (confirmation, auto-replies) and the media
// download happen after the commit (inbound-followups.ts).
import type { Knex } from 'knex';
import type { Deps } from '../deps.js';
import type { EventMap } from '../events.js';
import { ensureConversation, touchInbound } from './conversation-store.js';
import { insertMessage, previewOf } from './message-store.js';
import type { WaNumber } from './numbers-queries.js';
import { isOptOutMessage, recordOptOut } from './opt-out.js';
import { contactForWaId } from './wa-contacts.js';
import type { InboundContent, InboundMessageEvent } from './webhook-types.js';

export type Emit = { [K in keyof EventMap]: { name: K; payload: EventMap[K] } }[keyof EventMap];

export type InboundResult = {
  duplicate: boolean;
  messageId?: number;
  conversationId?: number;
  contactId?: number;
  mediaId?: number;
  text: string | null;
  optedOutNow: boolean;
  /** Contact state before this message (auto-replies never answer opted-out contacts). */
  optedOutBefore: boolean;
};

const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** What a person reads for any inbound type (also what keywords and rules match). */
export function inboundText(c: InboundContent): string | null {
  switch (c.type) {
    case 'text': return c.text;
    case 'image': case 'audio': case 'video': case 'document': case 'sticker': return c.media.caption ?? c.media.filename ?? null;
    case 'location': return [c.name, c.address].filter(Boolean).join(' — ') || `${c.latitude}, ${c.longitude}`;
    case 'contacts': return c.contacts.map((x) => x.name ?? x.phones[0]?.phone ?? '').filter(Boolean).join(', ') || null;
    case 'interactive': return c.reply.kind === 'nfm_reply' ? (c.reply.body ?? null) : c.reply.title;
    case 'button': return c.text;
    case 'reaction': return c.emoji ?? null;
    case 'system': return c.body ?? null;
    case 'order': return c.text ?? null;
    default: return null;
  }
}

function payloadOf(ev: InboundMessageEvent): Record<string, unknown> {
  const p: Record<string, unknown> = { content: ev.content };
  if (ev.context) p.context = ev.context;
  if (ev.referral) p.referral = ev.referral;
  if (ev.errors.length) p.errors = ev.errors;
  if (ev.contact.name) p.profile_name = ev.contact.name;
  return p;
}

async function mediaRow(trx: Knex.Transaction, ev: InboundMessageEvent, numberId: number, now: number): Promise<number | undefined> {
  const c = ev.content;
  if (!MEDIA.has(c.type) || !('media' in c)) return undefined;
  const [row] = await trx('media').insert({
    number_id: numberId, meta_media_id: c.media.id, mime_type: c.media.mimeType ?? null, sha256: c.media.sha256 ?? null,
    file_name: c.media.filename?.slice(0, 255) ?? null, status: 'pending', attempts: 0, created_at: now,
  }).returning('id');
  return Number(typeof row === 'object' ? (row as { id: number }).id : row);
}

/** Stores one inbound message; `emits` collects the events to publish after the commit. */
export async function storeInbound(deps: Deps, n: WaNumber, ev: InboundMessageEvent, keywords: string[], emits: Emit[]): Promise<InboundResult> {
  const now = deps.clock.now();
  // Meta's timestamp starts the window; never later than now (clock skew), and a late retry keeps its real age.
  const at = Math.min(ev.timestamp > 0 ? ev.timestamp * 1000 : now, now);
  const text = inboundText(ev.content);
  return deps.db.transaction(async (trx) => {
    const skip = { duplicate: true, text, optedOutNow: false, optedOutBefore: false };
    if (await trx('messages').where({ wamid: ev.wamid }).first('id')) return skip;
    const found = await contactForWaId(deps, trx, ev.contact.waId || ev.from, ev.contact.name, now);
    if (!found) return skip; // no usable wa_id (username-only users): kept in webhook_events
    const { contact } = found;
    const conv = await ensureConversation(trx, contact.id, n.id, now);
    const mediaId = await mediaRow(trx, ev, n.id, now);
    const messageId = await insertMessage(trx, {
      conversationId: conv.id, contactId: contact.id, numberId: n.id, direction: 'in', type: ev.content.type,
      body: text, payload: payloadOf(ev), status: 'received', wamid: ev.wamid, mediaId: mediaId ?? null, createdAt: at,
    });
    const counts = ev.content.type !== 'system';
    if (counts) await touchInbound(trx, conv.id, at, previewOf(ev.content.type, text), now);
    if (counts) await trx('contacts').where({ id: contact.id }).update({ last_inbound_at: at, updated_at: now });
    await trx('contact_activity').insert({
      contact_id: contact.id, kind: 'message_in', ref: String(messageId), user_id: null, at,
      summary: JSON.stringify({ type: ev.content.type, preview: previewOf(ev.content.type, text), number_id: n.id }),
    });
    const optedOutBefore = contact.optIn === 'opted_out';
    const isKeyword = text !== null && (ev.content.type === 'text' || ev.content.type === 'button') && isOptOutMessage(text, keywords);
    const optedOutNow = isKeyword && (await recordOptOut(deps, contact.id, 'keyword', text, trx));
    emits.push({ name: 'message.received', payload: { messageId, conversationId: conv.id, contactId: contact.id, numberId: n.id } });
    emits.push({ name: 'conversation.updated', payload: { conversationId: conv.id } });
    if (optedOutNow) emits.push({ name: 'contact.opted_out', payload: { contactId: contact.id, source: 'keyword' } });
    return { duplicate: false, messageId, conversationId: conv.id, contactId: contact.id, mediaId, text, optedOutNow, optedOutBefore };
  });
}
