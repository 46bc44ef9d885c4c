// Conversations: the list (keyset on last_message_at, id, newest first) and
// one conversation with its contact, number and assignee. `contacts` is not
// aliased: the SQLite trigram search names its FTS table after it.
import type { Knex } from 'knex';
import { whereAfter, type Cursor } from '../api/pagination.js';
import type { Db } from '../db/knex.js';
import { whereTrigramContains } from '../db/dialect.js';
import { num } from '../db/rows.js';
import type { ConversationStatus } from './schema.js';

export type Conversation = {
  id: number;
  contactId: number;
  numberId: number;
  status: ConversationStatus;
  assignedUserId: number | null;
  assignedName: string | null;
  unreadCount: number;
  lastMessageAt: number;
  lastInboundAt: number | null;
  lastPreview: string | null;
  contactName: string;
  contactPhone: string;
  contactOptIn: string;
  numberLabel: string;
  numberDisplay: string;
  wabaId: string;
  createdAt: number;
  updatedAt: number;
};

export type ConversationFilter = {
  status?: ConversationStatus;
  /** A user id, or null for "nobody"; undefined = anyone. */
  assignedUserId?: number | null;
  numberId?: number;
  /** Folded search text (name/e-mail) or phone digits. */
  search?: string;
  after?: Cursor;
  limit: number;
};

type Row = Record<string, unknown>;

export function toConversation(r: Row): Conversation {
  return {
    id: num(r.id), contactId: num(r.contact_id), numberId: num(r.number_id), status: r.status as ConversationStatus,
    assignedUserId: r.assigned_user_id == null ? null : num(r.assigned_user_id), assignedName: (r.assigned_name as string | null) ?? null,
    unreadCount: num(r.unread_count), lastMessageAt: num(r.last_message_at),
    lastInboundAt: r.last_inbound_at == null ? null : num(r.last_inbound_at), lastPreview: (r.last_preview as string | null) ?? null,
    contactName: String(r.contact_name ?? ''), contactPhone: String(r.contact_phone ?? ''), contactOptIn: String(r.contact_opt_in ?? 'unknown'),
    numberLabel: String(r.number_label ?? ''), numberDisplay: String(r.number_display ?? ''), wabaId: String(r.waba_id ?? ''),
    createdAt: num(r.created_at), updatedAt: num(r.updated_at),
  };
}

function baseQuery(db: Db): Knex.QueryBuilder {
  return db('conversations as cv')
    .join('contacts', 'contacts.id', 'cv.contact_id')
    .join('wa_numbers as n', 'n.id', 'cv.number_id')
    .leftJoin('users as u', 'u.id', 'cv.assigned_user_id')
    .select(
      'cv.*', 'u.name as assigned_name', 'contacts.display_name as contact_name', 'contacts.phone as contact_phone', 'contacts.opt_in as contact_opt_in',
      'n.label as number_label', 'n.display_phone as number_display', 'n.waba_id as waba_id',
    );
}

/** `limit + 1` rows so the caller can tell whether another page exists. */
export async function pageOfConversations(db: Db, f: ConversationFilter): Promise<Conversation[]> {
  const qb = baseQuery(db);
  if (f.status) qb.where('cv.status', f.status);
  if (f.assignedUserId === null) qb.whereNull('cv.assigned_user_id');
  else if (f.assignedUserId !== undefined) qb.where('cv.assigned_user_id', f.assignedUserId);
  if (f.numberId) qb.where('cv.number_id', f.numberId);
  if (f.search) whereTrigramContains(db, qb, 'contacts', 'search_text', f.search);
  whereAfter(qb, 'cv.last_message_at', 'cv.id', f.after, 'desc');
  const rows = await qb.orderBy([{ column: 'cv.last_message_at', order: 'desc' }, { column: 'cv.id', order: 'desc' }]).limit(f.limit + 1);
  return rows.map(toConversation);
}

export async function conversationById(db: Db, id: number): Promise<Conversation | undefined> {
  const row = await baseQuery(db).where('cv.id', id).first();
  return row ? toConversation(row) : undefined;
}

export async function updateConversationRow(db: Db, id: number, patch: Row, now: number): Promise<void> {
  await db('conversations').where({ id }).update({ ...patch, updated_at: now });
}

/** Zeroes the unread counter; true when it was not zero already (so callers emit an update). */
export async function clearUnread(db: Db, id: number, now: number): Promise<boolean> {
  const n = await db('conversations').where({ id }).andWhere('unread_count', '>', 0).update({ unread_count: 0, updated_at: now });
  return Number(n) > 0;
}

/** Conversations with unread messages, for the list heading. */
export async function unreadConversationCount(db: Db): Promise<number> {
  const row = await db('conversations').where('unread_count', '>', 0).whereNot('status', 'closed').count({ count: '*' }).first();
  return num(row?.count);
}

export type NumberOption = { id: number; label: string; display: string };

export async function numberOptions(db: Db): Promise<NumberOption[]> {
  const rows = await db('wa_numbers').select('id', 'label', 'display_phone').orderBy('id');
  return rows.map((r: Row) => ({ id: num(r.id), label: String(r.label), display: String(r.display_phone) }));
}
