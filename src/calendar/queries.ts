// SQL for the calendar. Rows stay snake_case here; toEvent maps them.
import type { Db } from '../db/knex.js';
import { bool, json, num } from '../db/rows.js';
import type { EventStatus } from './schema.js';

export type CalendarEvent = {
  id: number;
  contactId: number | null;
  contactName: string | null;
  title: string;
  notes: string | null;
  location: string | null;
  startsAt: number;
  endsAt: number;
  allDay: boolean;
  timeZone: string;
  status: EventStatus;
  assignedUserId: number | null;
  assignedUserName: string | null;
  createdBy: number | null;
  reminderOffsets: number[];
  reminderState: string;
  createdAt: number;
  updatedAt: number;
};

export type EventRow = {
  contact_id: number | null; title: string; notes: string | null; location: string | null; starts_at: number; ends_at: number;
  all_day: boolean; time_zone: string; status: EventStatus; assigned_user_id: number | null;
};

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toEvent(r: Row): CalendarEvent {
  return {
    id: num(r.id), contactId: r.contact_id == null ? null : num(r.contact_id), contactName: str(r.contact_name),
    title: String(r.title), notes: str(r.notes), location: str(r.location),
    startsAt: num(r.starts_at), endsAt: num(r.ends_at), allDay: bool(r.all_day), timeZone: String(r.time_zone),
    status: String(r.status) as EventStatus, assignedUserId: r.assigned_user_id == null ? null : num(r.assigned_user_id),
    assignedUserName: str(r.assigned_user_name), createdBy: r.created_by == null ? null : num(r.created_by),
    reminderOffsets: json<number[]>(r.reminder_offsets, []), reminderState: String(r.reminder_state),
    createdAt: num(r.created_at), updatedAt: num(r.updated_at),
  };
}

function withNames(db: Db) {
  return db('events')
    .leftJoin('contacts', 'contacts.id', 'events.contact_id')
    .leftJoin('users', 'users.id', 'events.assigned_user_id')
    .select('events.*', 'contacts.display_name as contact_name', 'users.name as assigned_user_name');
}

export async function eventById(db: Db, id: number): Promise<CalendarEvent | null> {
  const r = await withNames(db).where('events.id', id).first();
  return r ? toEvent(r) : null;
}

export async function insertEvent(db: Db, e: EventRow & { created_by: number | null; created_at: number }): Promise<number> {
  const [row] = await db('events').insert({ ...e, updated_at: e.created_at }).returning('id');
  return num(typeof row === 'object' ? (row as Row).id : row);
}

export async function updateEventRow(db: Db, id: number, patch: Partial<EventRow> & { updated_at: number }): Promise<void> {
  await db('events').where({ id }).update(patch);
}

/** A contact's events not over yet (ending after `now`) and not cancelled or done, soonest first. */
export async function upcomingOfContact(db: Db, contactId: number, now: number, limit: number): Promise<CalendarEvent[]> {
  const rows = await withNames(db)
    .where('events.contact_id', contactId).andWhere('events.ends_at', '>', now)
    .whereIn('events.status', ['scheduled', 'confirmed'])
    .orderBy([{ column: 'events.starts_at' }, { column: 'events.id' }]).limit(limit);
  return rows.map(toEvent);
}

export type AgendaFilter = { from: number; assignedUserId: number | null; after: { startsAt: number; id: number } | null; limit: number };

/** Events starting at or after `from`, not cancelled, in (starts_at, id) order after the cursor. */
export async function agendaRows(db: Db, f: AgendaFilter): Promise<CalendarEvent[]> {
  const q = withNames(db).where('events.starts_at', '>=', f.from).whereNot('events.status', 'cancelled')
    .orderBy([{ column: 'events.starts_at' }, { column: 'events.id' }]).limit(f.limit);
  if (f.assignedUserId) q.where('events.assigned_user_id', f.assignedUserId);
  if (f.after) {
    const a = f.after;
    q.where((w) => w.where('events.starts_at', '>', a.startsAt)
      .orWhere((x) => x.where('events.starts_at', a.startsAt).andWhere('events.id', '>', a.id)));
  }
  return (await q).map(toEvent);
}

/** Every event of a contact, oldest first (GDPR export). */
export async function eventsOfContact(db: Db, contactId: number): Promise<CalendarEvent[]> {
  return (await withNames(db).where('events.contact_id', contactId).orderBy([{ column: 'events.starts_at' }, { column: 'events.id' }])).map(toEvent);
}

export async function eventIdsOfContact(db: Db, contactId: number): Promise<number[]> {
  return (await db('events').where({ contact_id: contactId }).pluck('id')).map(Number);
}
