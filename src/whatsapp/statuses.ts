// Status webhooks → the outbound message's delivery state. Matched by wamid,
// or by our callback id when the wamid is not stored yet (the webhook raced
// the send's response). Statuses only move forward (nextStatus): duplicates,
// batches and any arrival order end in the same state.
import type { Deps } from '../deps.js';
import type { Emit } from './inbound.js';
import { messageByCallback, messageByWamid, type MessageStatus, type StoredMessage } from './message-store.js';
import { recordOptOut } from './opt-out.js';
import { nextStatus, type DeliveryStatus, type StatusEvent } from './webhook-payload.js';

export const TIME_COLUMN: Partial<Record<DeliveryStatus, string>> = {
  sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', played: 'read_at', failed: 'failed_at',
};

export function asDelivery(s: MessageStatus): DeliveryStatus | undefined {
  return s === 'sent' || s === 'delivered' || s === 'read' || s === 'failed' ? s : undefined;
}

async function findTarget(deps: Deps, ev: StatusEvent): Promise<StoredMessage | undefined> {
  const byWamid = ev.wamid ? await messageByWamid(deps.db, ev.wamid) : undefined;
  if (byWamid) return byWamid;
  if (!ev.callbackData) return undefined;
  const byCallback = await messageByCallback(deps.db, ev.callbackData);
  return byCallback && (!byCallback.wamid || byCallback.wamid === ev.wamid) ? byCallback : undefined;
}

export function patchFor(m: StoredMessage, ev: StatusEvent, next: DeliveryStatus, now: number): Record<string, unknown> {
  const at = Math.min(ev.timestamp > 0 ? ev.timestamp * 1000 : now, now);
  const stored: MessageStatus = next === 'played' ? 'read' : next;
  const patch: Record<string, unknown> = { status: stored };
  if (!m.wamid && ev.wamid) patch.wamid = ev.wamid;
  const col = TIME_COLUMN[ev.status];
  if (col) patch[col] = at;
  // A read implies delivered (Meta skips `delivered` when the message is read at once).
  if ((stored === 'read') && !m.deliveredAt) patch.delivered_at = at;
  if (stored === 'read' || stored === 'delivered') {
    if (!m.sentAt) patch.sent_at = at;
  }
  if (ev.status === 'failed' && stored === 'failed') {
    const e = ev.errors[0];
    patch.error_code = e?.code ?? null;
    patch.error_title = [e?.title, e?.details].filter(Boolean).join(': ').slice(0, 300) || null;
  }
  return patch;
}

/** Applies one status; returns false when it matched nothing or changed nothing. */
export async function applyStatus(deps: Deps, ev: StatusEvent, emits: Emit[]): Promise<boolean> {
  const m = await findTarget(deps, ev);
  if (!m || m.direction !== 'out') {
    deps.log.debug({ wamid: ev.wamid, status: ev.status }, 'status for an unknown message ignored');
    return false;
  }
  const current = asDelivery(m.status);
  const next = nextStatus(current, ev.status);
  const patch = patchFor(m, ev, next, deps.clock.now());
  if (next === current && !patch.wamid) {
    // Same state (a duplicate or an older status): fill a missing timestamp only.
    const col = TIME_COLUMN[ev.status];
    if (col && ev.status !== 'failed' && next !== 'failed') await deps.db('messages').where({ id: m.id }).whereNull(col).update({ [col]: patch[col] });
    return false;
  }
  // Guard on the status we read, so two workers cannot move it backwards.
  const changed = await deps.db('messages').where({ id: m.id, status: m.status }).update(patch);
  if (!Number(changed)) return false;
  if (next === 'failed' && ev.errors[0]?.code === 131050 && (await recordOptOut(deps, m.contactId, 'meta', 'Meta 131050'))) {
    emits.push({ name: 'contact.opted_out', payload: { contactId: m.contactId, source: 'meta' } });
  }
  emits.push({ name: 'message.status', payload: { messageId: m.id, conversationId: m.conversationId, status: String(patch.status), errorCode: (patch.error_code as number | null | undefined) ?? null } });
  return true;
}
