// The send pipeline after the checks: store the row first (with its
// biz_opaque_callback_data), call Meta, then record the wamid — or the error.
// Status webhooks may arrive before the wamid is stored; they match on the
// callback id, and statuses only move forward, so the order does not matter.
import crypto from 'node:crypto';
import type { Deps } from '../deps.js';
import { ensureConversation, touchOutbound } from './conversation-store.js';
import { classifyError, MetaApiError, WhatsAppTransportError } from './errors.js';
import { clientFor } from './graph-clients.js';
import { insertMessage, messageById, previewOf, type StoredMessage } from './message-store.js';
import type { OutboundMessage, SendOptions } from './messages.js';
import { WhatsAppSendError } from './meta-errors.js';
import { numberById, numberSecrets, setNumberStatus } from './numbers-queries.js';
import { recordOptOut } from './opt-out.js';
import type { Target } from './send-checks.js';
import { consumeMonthlyMessage, refundMonthlyMessage } from './usage.js';

export type Outgoing = {
  target: Target;
  type: string;
  /** What people read in the inbox (text, caption, filled template). */
  body: string | null;
  /** Structured content kept with the row (template name + values, buttons, …). */
  payload: Record<string, unknown>;
  build: (to: string, opts: SendOptions) => OutboundMessage;
  businessInitiated: boolean;
  userId: number | null;
  templateName?: string | null;
  campaignId?: number | null;
  callbackId?: string;
  mediaId?: number | null;
  replyToWamid?: string;
};

async function store(deps: Deps, o: Outgoing, callbackId: string): Promise<{ id: number; conversationId: number }> {
  const now = deps.clock.now();
  const { contact, number } = o.target;
  return deps.db.transaction(async (trx) => {
    if (o.businessInitiated) await consumeMonthlyMessage(deps, trx);
    const conv = await ensureConversation(trx, contact.id, number.id, now);
    const id = await insertMessage(trx, {
      conversationId: conv.id, contactId: contact.id, numberId: number.id, direction: 'out', type: o.type,
      body: o.body, payload: o.payload, status: 'queued', callbackId, templateName: o.templateName ?? null,
      businessInitiated: o.businessInitiated, userId: o.userId, campaignId: o.campaignId ?? null, mediaId: o.mediaId ?? null, createdAt: now,
    });
    return { id, conversationId: conv.id };
  });
}

async function recordAccepted(deps: Deps, o: Outgoing, id: number, convId: number, r: { wamid: string; waId: string }): Promise<void> {
  const now = deps.clock.now();
  const { contact } = o.target;
  await deps.db.transaction(async (trx) => {
    await trx('messages').where({ id }).update({ wamid: r.wamid });
    await trx('messages').where({ id, status: 'queued' }).update({ status: 'sent', sent_at: now });
    const patch: Record<string, unknown> = { last_outbound_at: now, updated_at: now };
    if (r.waId && r.waId !== contact.waId) patch.wa_id = r.waId;
    await trx('contacts').where({ id: contact.id }).update(patch);
    await touchOutbound(trx, convId, now, previewOf(o.type, o.body));
    await trx('contact_activity').insert({
      contact_id: contact.id, kind: 'message_out', ref: String(id), user_id: o.userId,
      summary: JSON.stringify({ type: o.type, preview: previewOf(o.type, o.body) }), at: now,
    });
  });
}

async function recordFailure(deps: Deps, o: Outgoing, id: number, err: unknown): Promise<{ code: number | null; details: string }> {
  const now = deps.clock.now();
  const code = err instanceof MetaApiError ? err.code : null;
  const details = err instanceof MetaApiError
    ? (err.details ?? err.message)
    : err instanceof WhatsAppTransportError ? `transport: ${err.kind}` : 'internal error';
  await deps.db('messages').where({ id }).whereIn('status', ['queued']).update({
    status: 'failed', error_code: code, error_title: details.slice(0, 300), failed_at: now,
  });
  if (o.businessInitiated && err instanceof MetaApiError) await refundMonthlyMessage(deps, deps.db);
  if (code === 190) await setNumberStatus(deps.db, o.target.number.id, 'token_invalid', now);
  if (code === 131050 && (await recordOptOut(deps, o.target.contact.id, 'meta', 'Meta 131050'))) {
    deps.events.emit('contact.opted_out', { contactId: o.target.contact.id, source: 'meta' });
  }
  return { code, details };
}

/** Stores, sends and records one message; returns the stored row or throws WhatsAppSendError. */
export async function dispatch(deps: Deps, o: Outgoing): Promise<StoredMessage> {
  const callbackId = o.callbackId ?? `m:${crypto.randomUUID()}`;
  const { contact, number } = o.target;
  // WhatsApp's own id for the person when known (it may differ from our E.164: MX 52/521, BR ninth digit).
  const to = contact.waId ? `+${contact.waId}` : contact.phone;
  // Built (and validated) before anything is stored or counted.
  const wire = o.build(to, { callbackData: callbackId, ...(o.replyToWamid ? { replyTo: o.replyToWamid } : {}) });
  const { id, conversationId } = await store(deps, o, callbackId);
  try {
    const { accessToken } = await numberSecrets(deps, number.id);
    const result = await clientFor(deps, number).sendMessage(number.phoneNumberId, accessToken, wire);
    await recordAccepted(deps, o, id, conversationId, result);
  } catch (err) {
    const { code, details } = await recordFailure(deps, o, id, err);
    const failed = (await messageById(deps.db, id))!;
    deps.events.emit('message.status', { messageId: id, conversationId, status: failed.status, errorCode: code });
    deps.events.emit('conversation.updated', { conversationId });
    if (!(err instanceof MetaApiError || err instanceof WhatsAppTransportError)) throw err;
    deps.log.warn({ messageId: id, code, numberId: number.id }, 'whatsapp send failed');
    throw new WhatsAppSendError(code, details, failed);
  }
  deps.events.emit('message.sent', { messageId: id, conversationId, contactId: contact.id, numberId: number.id });
  deps.events.emit('conversation.updated', { conversationId });
  return (await messageById(deps.db, id))!;
}

export type MarkReadResult = 'read' | 'nothing' | 'failed';

/**
 * Tells WhatsApp the business read the conversation: Meta's mark-read on the
 * newest inbound wamid (which reads every earlier message too). Once per
 * newest inbound message: its `read_at` is claimed first (a conditional
 * update, so two agents opening the thread at once call Meta once), and the
 * earlier inbound rows get the same `read_at` after Meta accepted. A failure
 * is logged, never thrown; a retryable one (timeout, 5xx, throttling)
 * releases the claim so the next opening tries again.
 */
export async function dispatchMarkRead(deps: Deps, conversationId: number): Promise<MarkReadResult> {
  // Reactions and system notices are not messages a person reads; the newest real one is what counts.
  const latest = await deps.db('messages').where({ conversation_id: conversationId, direction: 'in' }).whereNotNull('wamid')
    .whereNotIn('type', ['reaction', 'system']).orderBy('id', 'desc').first('id', 'wamid', 'read_at', 'number_id');
  if (!latest || latest.read_at !== null) return 'nothing';
  const number = await numberById(deps.db, Number(latest.number_id));
  if (!number || number.status !== 'active') return 'nothing';
  const now = deps.clock.now();
  const claimed = await deps.db('messages').where({ id: latest.id }).whereNull('read_at').update({ read_at: now });
  if (!Number(claimed)) return 'nothing';
  try {
    const { accessToken } = await numberSecrets(deps, number.id);
    await clientFor(deps, number).markRead(number.phoneNumberId, accessToken, String(latest.wamid));
  } catch (err) {
    const retry = !(err instanceof MetaApiError) || classifyError(err) === 'retry';
    if (retry) await deps.db('messages').where({ id: latest.id, read_at: now }).update({ read_at: null });
    const code = err instanceof MetaApiError ? err.code : null;
    deps.log.warn({ conversationId, messageId: Number(latest.id), code, retry, err: (err as Error).message }, 'whatsapp mark read failed');
    return 'failed';
  }
  await deps.db('messages').where({ conversation_id: conversationId, direction: 'in' }).where('id', '<', latest.id).whereNull('read_at').update({ read_at: now });
  return 'read';
}
