// Quick replies: the team's canned answers, with {{variables}} filled from the
// contact, the agent and the company when one is inserted into the composer.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { num } from '../db/rows.js';
import { Invalid, NotFound } from '../errors.js';
import type { QuickReplyInput } from './schema.js';

export type QuickReply = { id: number; shortcut: string; title: string; body: string; createdBy: number | null; createdAt: number };

type Row = Record<string, unknown>;

function toQuickReply(r: Row): QuickReply {
  return {
    id: num(r.id), shortcut: String(r.shortcut), title: String(r.title), body: String(r.body),
    createdBy: r.created_by == null ? null : num(r.created_by), createdAt: num(r.created_at),
  };
}

export async function listQuickReplies(db: Db): Promise<QuickReply[]> {
  return (await db('quick_replies').select('*').orderBy([{ column: 'shortcut' }, { column: 'id' }])).map(toQuickReply);
}

export async function getQuickReply(deps: Pick<Deps, 'db'>, id: number): Promise<QuickReply> {
  const r = await deps.db('quick_replies').where({ id }).first();
  if (!r) throw new NotFound('inbox.qr.not_found');
  return toQuickReply(r);
}

async function assertShortcutFree(db: Db, shortcut: string, exceptId?: number): Promise<void> {
  const q = db('quick_replies').where({ shortcut });
  if (exceptId) q.whereNot({ id: exceptId });
  if (await q.first('id')) throw new Invalid({ shortcut: { code: 'inbox.qr.shortcut_taken', params: { shortcut } } });
}

type QrDeps = Pick<Deps, 'db' | 'clock'>;

export async function createQuickReply(deps: QrDeps, userId: number | null, input: QuickReplyInput, audit: Audit): Promise<number> {
  return deps.db.transaction(async (trx) => {
    await assertShortcutFree(trx, input.shortcut);
    const [row] = await trx('quick_replies').insert({ ...input, created_by: userId, created_at: deps.clock.now() }).returning('id');
    const id = num(typeof row === 'object' ? (row as Row).id : row);
    await audit(trx, { action: 'quick_reply.created', entityType: 'quick_reply', entityId: id, after: { ...input } });
    return id;
  });
}

export async function updateQuickReply(deps: QrDeps, id: number, input: QuickReplyInput, audit: Audit): Promise<void> {
  const before = await getQuickReply(deps, id);
  await deps.db.transaction(async (trx) => {
    await assertShortcutFree(trx, input.shortcut, id);
    await trx('quick_replies').where({ id }).update(input);
    await audit(trx, {
      action: 'quick_reply.updated', entityType: 'quick_reply', entityId: id,
      before: { shortcut: before.shortcut, title: before.title, body: before.body }, after: { ...input },
    });
  });
}

export async function deleteQuickReply(deps: QrDeps, id: number, audit: Audit): Promise<QuickReply> {
  const before = await getQuickReply(deps, id);
  await deps.db.transaction(async (trx) => {
    await trx('quick_replies').where({ id }).delete();
    await audit(trx, { action: 'quick_reply.deleted', entityType: 'quick_reply', entityId: id, before: { shortcut: before.shortcut, title: before.title } });
  });
  return before;
}

export type QuickReplyVars = {
  contact: { firstName: string | null; lastName: string | null; name: string; phone: string; email: string | null; custom: Record<string, unknown> };
  agentName: string;
  company: string;
};

/** The variables a quick reply may use, for the help text of the form. */
export const QUICK_REPLY_VARIABLES = ['first_name', 'last_name', 'name', 'phone', 'email', 'agent_name', 'company'] as const;

/**
 * Fills `{{first_name}}`-style variables. A known variable with no value
 * becomes '' (first_name falls back to the display name); an unknown one is
 * left as typed so the agent sees it before sending.
 */
export function renderQuickReply(body: string, v: QuickReplyVars): string {
  const known: Record<string, string> = {
    first_name: v.contact.firstName ?? v.contact.name.split(' ')[0] ?? '',
    last_name: v.contact.lastName ?? '',
    name: v.contact.name,
    phone: v.contact.phone,
    email: v.contact.email ?? '',
    agent_name: v.agentName,
    company: v.company,
  };
  return body.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi, (m, raw: string) => {
    const key = raw.toLowerCase();
    if (key in known) return known[key]!;
    const custom = v.contact.custom[key];
    if (custom === undefined || custom === null) return m;
    return Array.isArray(custom) ? custom.join(', ') : String(custom);
  });
}
