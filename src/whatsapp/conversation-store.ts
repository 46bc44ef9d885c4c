// The conversation of one contact on one business number: created on the
// first message either way, then touched by every message. The inbox owns
// listing and workflow; the channel only keeps these columns current.
import type { Db } from '../db/knex.js';

export type ConversationRow = {
  id: number;
  contact_id: number;
  number_id: number;
  status: string;
  assigned_user_id: number | null;
  unread_count: number;
  last_message_at: number;
  last_inbound_at: number | null;
  last_preview: string | null;
  last_auto_reply_at: number | null;
};

function toConversation(r: Record<string, unknown>): ConversationRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    contact_id: Number(r.contact_id),
    number_id: Number(r.number_id),
    status: String(r.status),
    assigned_user_id: n(r.assigned_user_id),
    unread_count: Number(r.unread_count ?? 0),
    last_message_at: Number(r.last_message_at),
    last_inbound_at: n(r.last_inbound_at),
    last_preview: r.last_preview === null || r.last_preview === undefined ? null : String(r.last_preview),
    last_auto_reply_at: n(r.last_auto_reply_at),
  };
}

export async function conversationById(db: Db, id: number): Promise<ConversationRow | undefined> {
  const row = await db('conversations').where({ id }).first();
  return row ? toConversation(row) : undefined;
}

/** The (contact, number) conversation, created if missing; safe under concurrency (unique pair). */
export async function ensureConversation(db: Db, contactId: number, numberId: number, now: number): Promise<ConversationRow> {
  await db('conversations')
    .insert({ contact_id: contactId, number_id: numberId, status: 'open', unread_count: 0, last_message_at: now, created_at: now, updated_at: now })
    .onConflict(['contact_id', 'number_id'])
    .ignore();
  const row = await db('conversations').where({ contact_id: contactId, number_id: numberId }).first();
  return toConversation(row);
}

/** An inbound message: unread +1, the window restarts, a closed conversation reopens. */
export async function touchInbound(db: Db, id: number, at: number, preview: string, now: number): Promise<void> {
  await db('conversations').where({ id }).increment('unread_count', 1).update({
    last_message_at: at,
    last_inbound_at: at,
    last_preview: preview,
    status: 'open',
    updated_at: now,
  });
}

export async function touchOutbound(db: Db, id: number, at: number, preview: string): Promise<void> {
  await db('conversations').where({ id }).update({ last_message_at: at, last_preview: preview, updated_at: at });
}
