// The contact's history: notes, the consent ledger and the activity timeline.
// All append-only; read newest first with a keyset on (at, id).
import type { Db } from '../db/knex.js';
import { date, json } from '../db/rows.js';

export type ActivityKind = 'note' | 'change' | 'consent' | 'import' | 'message_in' | 'message_out' | 'campaign' | 'event' | 'created';
export type Activity = { id: number; kind: string; ref: string | null; summary: Record<string, unknown>; userName: string | null; at: Date };
export type Note = { id: number; body: string; userName: string | null; at: Date };
export type ConsentEvent = { id: number; status: string; source: string; actor: string | null; detail: string | null; at: Date };

export async function insertActivity(db: Db, a: { contactId: number; kind: ActivityKind; ref?: string | null; summary?: Record<string, unknown>; userId: number | null; at: number }): Promise<void> {
  await db('contact_activity').insert({
    contact_id: a.contactId, kind: a.kind, ref: a.ref ?? null, summary: JSON.stringify(a.summary ?? {}), user_id: a.userId, at: a.at,
  });
}

/** Newest first; `before` is the last (at, id) already shown. */
export async function activityOf(db: Db, contactId: number, limit: number, before?: { at: number; id: number }): Promise<Activity[]> {
  const q = db('contact_activity').leftJoin('users', 'users.id', 'contact_activity.user_id')
    .select('contact_activity.*', 'users.name as user_name')
    .where('contact_activity.contact_id', contactId)
    .orderBy([{ column: 'contact_activity.at', order: 'desc' }, { column: 'contact_activity.id', order: 'desc' }]).limit(limit);
  if (before) {
    q.where((w) => w.where('contact_activity.at', '<', before.at)
      .orWhere((x) => x.where('contact_activity.at', before.at).andWhere('contact_activity.id', '<', before.id)));
  }
  return (await q).map((r: Record<string, unknown>) => ({
    id: Number(r.id), kind: String(r.kind), ref: (r.ref as string | null) ?? null,
    summary: json<Record<string, unknown>>(r.summary, {}), userName: (r.user_name as string | null) ?? null, at: date(r.at),
  }));
}

export async function insertNote(db: Db, n: { contactId: number; userId: number | null; body: string; at: number }): Promise<number> {
  const [r] = await db('contact_notes').insert({ contact_id: n.contactId, user_id: n.userId, body: n.body, created_at: n.at }).returning('id');
  return Number((r as { id: number }).id ?? r);
}

export async function notesOf(db: Db, contactId: number, limit = 100): Promise<Note[]> {
  const rows = await db('contact_notes').leftJoin('users', 'users.id', 'contact_notes.user_id')
    .select('contact_notes.id', 'contact_notes.body', 'contact_notes.created_at', 'users.name as user_name')
    .where('contact_notes.contact_id', contactId)
    .orderBy([{ column: 'contact_notes.created_at', order: 'desc' }, { column: 'contact_notes.id', order: 'desc' }]).limit(limit);
  return rows.map((r: Record<string, unknown>) => ({ id: Number(r.id), body: String(r.body), userName: (r.user_name as string | null) ?? null, at: date(r.created_at) }));
}

export async function insertConsent(db: Db, e: { contactId: number; status: string; source: string; actor: string | null; detail: string | null; at: number }): Promise<void> {
  await db('consent_events').insert({ contact_id: e.contactId, status: e.status, source: e.source, actor: e.actor, detail: e.detail, at: e.at });
}

export async function consentOf(db: Db, contactId: number, limit = 100): Promise<ConsentEvent[]> {
  const rows = await db('consent_events').where({ contact_id: contactId })
    .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id), status: String(r.status), source: String(r.source), actor: (r.actor as string | null) ?? null,
    detail: (r.detail as string | null) ?? null, at: date(r.at),
  }));
}
