// The inbox's rules: who may be assigned, what a status change records, how
// opening a thread clears its unread count. Every change is audited in the
// same transaction and announced on the event bus after the commit.
import type { Audit } from '../audit/context.js';
import { Invalid, NotFound } from '../errors.js';
import type { Deps } from '../deps.js';
import { decodeCursor, encodeCursor } from '../api/pagination.js';
import { fold } from '../contacts/derive.js';
import { roleHas, type Role } from '../users/permissions.js';
import { listUsers, userById } from '../users/queries.js';
import { markRead } from '../whatsapp/send-service.js';
import { insertNote } from './message-queries.js';
import { searchTerm } from './present-list.js';
import { clearUnread, conversationById, pageOfConversations, updateConversationRow, type Conversation } from './queries.js';
import type { ConversationStatus, ListView } from './schema.js';

type InboxDeps = Pick<Deps, 'db' | 'clock' | 'events'>;

export type ListRequest = {
  view?: ListView;
  status?: ConversationStatus | 'any';
  numberId?: number;
  /** Explicit assignee filter (API): a user id or null for unassigned. Overrides `view`. */
  assignedUserId?: number | null;
  q?: string;
  cursor?: string;
  limit: number;
};

export type ConversationPage = { rows: Conversation[]; nextCursor: string | null };

export async function listConversations(deps: Pick<Deps, 'db'>, viewerId: number | null, r: ListRequest): Promise<ConversationPage> {
  const assigned = r.assignedUserId !== undefined ? r.assignedUserId
    : r.view === 'mine' ? viewerId ?? -1 : r.view === 'unassigned' ? null : undefined;
  const rows = await pageOfConversations(deps.db, {
    status: r.status === 'any' ? undefined : r.status,
    assignedUserId: assigned,
    numberId: r.numberId,
    search: searchTerm(r.q, fold),
    after: r.cursor ? decodeCursor(r.cursor) : undefined,
    limit: r.limit,
  });
  const more = rows.length > r.limit;
  const page = more ? rows.slice(0, r.limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor({ key: last.lastMessageAt, id: last.id }) : null };
}

export async function getConversation(deps: Pick<Deps, 'db'>, id: number): Promise<Conversation> {
  const c = await conversationById(deps.db, id);
  if (!c) throw new NotFound('inbox.not_found');
  return c;
}

/** Opening a thread reads it: the unread counter goes to zero (and other open lists hear about it). */
export async function markConversationRead(deps: InboxDeps, c: Conversation): Promise<boolean> {
  const changed = await clearUnread(deps.db, c.id, deps.clock.now());
  if (changed) deps.events.emit('conversation.updated', { conversationId: c.id });
  return changed;
}

export async function setStatus(deps: InboxDeps, c: Conversation, status: ConversationStatus, audit: Audit): Promise<boolean> {
  if (c.status === status) return false;
  await deps.db.transaction(async (trx) => {
    await updateConversationRow(trx, c.id, { status }, deps.clock.now());
    await audit(trx, { action: 'conversation.status_changed', entityType: 'conversation', entityId: c.id, before: { status: c.status }, after: { status } });
  });
  deps.events.emit('conversation.updated', { conversationId: c.id });
  return true;
}

export type AgentOption = { id: number; name: string };

/** Who a conversation can go to: active users whose role may reply. */
export async function agentOptions(deps: Pick<Deps, 'db'>): Promise<AgentOption[]> {
  const users = await listUsers(deps.db, { active: true });
  return users.filter((u) => roleHas(u.role, 'inbox:reply')).map((u) => ({ id: u.id, name: u.name }));
}

async function assertAssignable(deps: Pick<Deps, 'db'>, userId: number, field: string): Promise<string> {
  const u = await userById(deps.db, userId);
  if (!u || !u.active || !roleHas(u.role, 'inbox:reply')) throw new Invalid({ [field]: { code: 'inbox.assignee_invalid' } });
  return u.name;
}

export async function assign(deps: InboxDeps, c: Conversation, userId: number | null, audit: Audit, field = 'assignee'): Promise<boolean> {
  if (c.assignedUserId === userId) return false;
  const name = userId === null ? null : await assertAssignable(deps, userId, field);
  await deps.db.transaction(async (trx) => {
    await updateConversationRow(trx, c.id, { assigned_user_id: userId }, deps.clock.now());
    await audit(trx, {
      action: 'conversation.assigned', entityType: 'conversation', entityId: c.id,
      before: { assigned_user_id: c.assignedUserId, assigned_to: c.assignedName }, after: { assigned_user_id: userId, assigned_to: name },
    });
  });
  deps.events.emit('conversation.updated', { conversationId: c.id });
  return true;
}

/** An internal note: stored in the thread for the team, never handed to the send service. */
export async function addNote(deps: InboxDeps, c: Conversation, userId: number, body: string, audit: Audit): Promise<number> {
  const id = await deps.db.transaction(async (trx) => {
    const noteId = await insertNote(trx, { conversationId: c.id, contactId: c.contactId, numberId: c.numberId, userId, body }, deps.clock.now());
    await audit(trx, { action: 'conversation.note_added', entityType: 'conversation', entityId: c.id, after: { message_id: noteId, length: body.length } });
    return noteId;
  });
  deps.events.emit('conversation.updated', { conversationId: c.id });
  return id;
}

/** Mark-read calls to WhatsApp still running (tests and shutdown can wait for them). */
const pendingMarks = new Set<Promise<unknown>>();

export async function settleMarkReads(): Promise<void> {
  while (pendingMarks.size) await Promise.all([...pendingMarks]);
}

/**
 * Opening a thread: unread goes to zero for the team, and WhatsApp hears that
 * the business read the customer's messages (blue ticks on their phone) —
 * once per newest inbound message, in the background so Meta never slows the
 * page (send-service `markRead` logs failures). Only someone who can answer
 * "reads" a conversation; a viewer looking on leaves it unread everywhere.
 * Returns the conversation as it is now.
 */
export async function openThread(deps: Deps, c: Conversation, viewer: { role: Role }): Promise<Conversation> {
  if (!roleHas(viewer.role, 'inbox:reply')) return c;
  const changed = await markConversationRead(deps, c);
  const mark = markRead(deps, c.id).finally(() => pendingMarks.delete(mark));
  pendingMarks.add(mark);
  return changed ? { ...c, unreadCount: 0 } : c;
}
