// Messages of one conversation, with their media row and author, paged by id
// (ids grow with arrival, so they order the thread without a timestamp tie).
import type { Db } from '../db/knex.js';
import { json, num } from '../db/rows.js';

export type MessageRow = {
  id: number;
  conversationId: number;
  direction: 'in' | 'out' | 'note';
  type: string;
  body: string | null;
  payload: Record<string, unknown>;
  wamid: string | null;
  status: string;
  errorCode: number | null;
  errorTitle: string | null;
  templateName: string | null;
  userId: number | null;
  userName: string | null;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
  media: { id: number; mimeType: string | null; fileName: string | null; status: string; sizeBytes: number | null } | null;
};

type Row = Record<string, unknown>;
const optNum = (v: unknown) => (v === null || v === undefined ? null : num(v));

function toMessage(r: Row): MessageRow {
  return {
    id: num(r.id), conversationId: num(r.conversation_id), direction: r.direction as MessageRow['direction'], type: String(r.type),
    body: (r.body as string | null) ?? null, payload: json<Record<string, unknown>>(r.payload, {}), wamid: (r.wamid as string | null) ?? null,
    status: String(r.status), errorCode: optNum(r.error_code), errorTitle: (r.error_title as string | null) ?? null,
    templateName: (r.template_name as string | null) ?? null, userId: optNum(r.user_id), userName: (r.user_name as string | null) ?? null,
    createdAt: num(r.created_at), sentAt: optNum(r.sent_at), deliveredAt: optNum(r.delivered_at), readAt: optNum(r.read_at), failedAt: optNum(r.failed_at),
    media: r.media_id == null ? null : {
      id: num(r.media_id), mimeType: (r.media_mime as string | null) ?? null, fileName: (r.media_file_name as string | null) ?? null,
      status: String(r.media_status ?? 'pending'), sizeBytes: optNum(r.media_size),
    },
  };
}

function messageQuery(db: Db) {
  return db('messages as m')
    .leftJoin('media as md', 'md.id', 'm.media_id')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select('m.*', 'u.name as user_name', 'md.mime_type as media_mime', 'md.file_name as media_file_name', 'md.status as media_status', 'md.size_bytes as media_size');
}

export type ThreadPage = { messages: MessageRow[]; olderId: number | null };

/** The newest `limit` messages (before `beforeId`), oldest first, and the id to page from when older ones exist. */
export async function threadPage(db: Db, conversationId: number, limit: number, beforeId?: number): Promise<ThreadPage> {
  const qb = messageQuery(db).where('m.conversation_id', conversationId);
  if (beforeId) qb.where('m.id', '<', beforeId);
  const rows = (await qb.orderBy('m.id', 'desc').limit(limit + 1)).map(toMessage);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).reverse();
  return { messages: page, olderId: more && page[0] ? page[0].id : null };
}

/** Messages newer than `afterId`, oldest first (live updates append these). */
export async function messagesAfter(db: Db, conversationId: number, afterId: number, limit = 100): Promise<MessageRow[]> {
  const rows = await messageQuery(db).where('m.conversation_id', conversationId).where('m.id', '>', afterId).orderBy('m.id', 'asc').limit(limit);
  return rows.map(toMessage);
}

export async function messageById(db: Db, id: number): Promise<MessageRow | undefined> {
  const row = await messageQuery(db).where('m.id', id).first();
  return row ? toMessage(row) : undefined;
}

/** Short texts of the messages reactions point at (by wamid), for "reacted to …". */
export async function bodiesByWamid(db: Db, wamids: string[]): Promise<Map<string, string>> {
  if (!wamids.length) return new Map();
  const rows = await db('messages').whereIn('wamid', wamids).select('wamid', 'body', 'type');
  return new Map(rows.map((r: Row) => [String(r.wamid), String(r.body ?? r.type)]));
}

/** The newest inbound message of a conversation that has a wamid (what "mark read" on WhatsApp points at). */
export async function lastInbound(db: Db, conversationId: number): Promise<MessageRow | undefined> {
  const row = await messageQuery(db).where('m.conversation_id', conversationId).where('m.direction', 'in').whereNotNull('m.wamid').orderBy('m.id', 'desc').first();
  return row ? toMessage(row) : undefined;
}

export type NewNote = { conversationId: number; contactId: number; numberId: number; userId: number; body: string };

/** Internal notes are messages with direction 'note': they sit in the thread but never reach WhatsApp. */
export async function insertNote(db: Db, n: NewNote, now: number): Promise<number> {
  const [row] = await db('messages').insert({
    conversation_id: n.conversationId, contact_id: n.contactId, number_id: n.numberId, direction: 'note', type: 'note',
    body: n.body, payload: null, status: 'note', user_id: n.userId, business_initiated: false, created_at: now,
  }).returning('id');
  return num(typeof row === 'object' ? (row as Row).id : row);
}

/** Newest first, `limit + 1` rows (the API pages backwards through a thread by id). */
export async function messagesNewestFirst(db: Db, conversationId: number, limit: number, beforeId?: number): Promise<MessageRow[]> {
  const qb = messageQuery(db).where('m.conversation_id', conversationId);
  if (beforeId) qb.where('m.id', '<', beforeId);
  return (await qb.orderBy('m.id', 'desc').limit(limit + 1)).map(toMessage);
}
