// The calendar's operations: create, edit, cancel, a contact's upcoming
// events and the agenda. Each change is audited and leaves an `event` row on
// the contact's timeline, in the same transaction.
import type { Audit } from '../audit/context.js';
import type { Actor } from '../audit/service.js';
import { insertActivity } from '../contacts/history-queries.js';
import { getContact } from '../contacts/service.js';
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import { dayOf, parseDay, startOfDay } from '../i18n/dates.js';
import { roleHas } from '../users/permissions.js';
import { listUsers, userById } from '../users/queries.js';
import { parse } from '../web/validate.js';
import {
  agendaRows, eventById, eventIdsOfContact, eventsOfContact, insertEvent, updateEventRow, upcomingOfContact, type CalendarEvent, type EventRow,
} from './queries.js';
import { eventView, type EventView, type Fmt } from './present.js';
import { EventInput } from './schema.js';

export type { CalendarEvent } from './queries.js';
export type { EventView } from './present.js';
type CalDeps = Pick<Deps, 'db' | 'clock'>;
type Who = Pick<Actor, 'userId' | 'label'>;

export const AGENDA_PAGE = 50;

/** Who an event may be assigned to: active users who may write the calendar. */
export async function assigneeOptions(deps: Pick<Deps, 'db'>): Promise<Array<{ id: number; name: string }>> {
  const users = await listUsers(deps.db, { active: true });
  return users.filter((u) => roleHas(u.role, 'calendar:write')).map((u) => ({ id: u.id, name: u.name }));
}

async function assertAssignable(db: Db, userId: number | null): Promise<void> {
  if (userId === null) return;
  const u = await userById(db, userId);
  if (!u || !u.active || !roleHas(u.role, 'calendar:write')) throw new Invalid({ assigned_user_id: { code: 'calendar.assignee_invalid' } });
}

export async function getEvent(deps: Pick<Deps, 'db'>, id: number): Promise<CalendarEvent> {
  const e = await eventById(deps.db, id);
  if (!e) throw new NotFound('calendar.not_found');
  return e;
}

function rowOf(input: EventInput, status: EventRow['status']): EventRow {
  return {
    contact_id: input.contactId, title: input.title, notes: input.notes, location: input.location, starts_at: input.startsAt,
    ends_at: input.endsAt, all_day: input.allDay, time_zone: input.timeZone, status, assigned_user_id: input.assignedUserId,
  };
}

const auditView = (r: Partial<EventRow>) => ({ ...r, starts_at: r.starts_at === undefined ? undefined : new Date(r.starts_at).toISOString() });

async function timeline(trx: Db, who: Who, e: { id: number; contactId: number | null; title: string; startsAt: number }, action: string, at: number) {
  if (e.contactId === null) return;
  await insertActivity(trx, {
    contactId: e.contactId, kind: 'event', ref: String(e.id), userId: who.userId, at,
    summary: { text: e.title, action, starts_at: e.startsAt },
  });
}

/** `raw` is the form (date, start_time, end_time in `time_zone`); throws Invalid with per-field codes. */
export async function createEvent(deps: CalDeps, who: Who, raw: unknown, audit: Audit): Promise<CalendarEvent> {
  const input = parse(EventInput, raw);
  if (input.contactId !== null) await getContact(deps, input.contactId);
  await assertAssignable(deps.db, input.assignedUserId);
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (trx) => {
    const row = rowOf(input, input.status ?? 'scheduled');
    const newId = await insertEvent(trx, { ...row, created_by: who.userId, created_at: now });
    await audit(trx, { action: 'event.created', entityType: 'event', entityId: newId, after: auditView(row) });
    await timeline(trx, who, { id: newId, contactId: row.contact_id, title: row.title, startsAt: row.starts_at }, 'created', now);
    return newId;
  });
  return getEvent(deps, id);
}

/** Edits an event; its contact stays the one it was created for. */
export async function updateEvent(deps: CalDeps, who: Who, id: number, raw: unknown, audit: Audit): Promise<CalendarEvent> {
  const before = await getEvent(deps, id);
  const input = parse(EventInput, { ...(raw as Record<string, unknown>), contact_id: before.contactId });
  await assertAssignable(deps.db, input.assignedUserId);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const row = rowOf(input, input.status ?? (before.status === 'cancelled' ? 'scheduled' : before.status));
    await updateEventRow(trx, id, { ...row, updated_at: now });
    await audit(trx, {
      action: 'event.updated', entityType: 'event', entityId: id,
      before: { title: before.title, starts_at: new Date(before.startsAt).toISOString(), status: before.status }, after: auditView(row),
    });
    await timeline(trx, who, { id, contactId: before.contactId, title: row.title, startsAt: row.starts_at }, 'updated', now);
  });
  return getEvent(deps, id);
}

export async function cancelEvent(deps: CalDeps, who: Who, id: number, audit: Audit): Promise<CalendarEvent> {
  const before = await getEvent(deps, id);
  if (before.status === 'cancelled') return before;
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await updateEventRow(trx, id, { status: 'cancelled', updated_at: now });
    await audit(trx, { action: 'event.cancelled', entityType: 'event', entityId: id, before: { status: before.status }, after: { status: 'cancelled' } });
    await timeline(trx, who, before, 'cancelled', now);
  });
  return getEvent(deps, id);
}

/** A contact's next events (not over, not cancelled or done), soonest first. */
export async function upcomingForContact(deps: CalDeps, contactId: number, limit = 20): Promise<CalendarEvent[]> {
  return upcomingOfContact(deps.db, contactId, deps.clock.now(), limit);
}

export type AgendaPage = { events: CalendarEvent[]; next: string | null };

/**
 * The agenda from the start of today in `timeZone` on, `(starts_at, id)`
 * keyset pages. `next` is the cursor of the page after this one.
 */
export async function agendaPage(
  deps: CalDeps,
  o: { timeZone: string; assignedUserId: number | null; after: { startsAt: number; id: number } | null; limit?: number },
): Promise<AgendaPage> {
  const limit = o.limit ?? AGENDA_PAGE;
  const today = parseDay(dayOf(deps.clock.now(), o.timeZone))!;
  const rows = await agendaRows(deps.db, { from: startOfDay(today, o.timeZone), assignedUserId: o.assignedUserId, after: o.after, limit: limit + 1 });
  const events = rows.slice(0, limit);
  const last = events[events.length - 1];
  return { events, next: rows.length > limit && last ? `${last.startsAt}.${last.id}` : null };
}

/** For the GDPR export: every event of the contact. */
export function contactEventsForExport(db: Db, contactId: number): Promise<CalendarEvent[]> {
  return eventsOfContact(db, contactId);
}

/** For the GDPR erasure: ids of the contact's events, whose audit entries are then blanked. */
export function contactEventIds(db: Db, contactId: number): Promise<number[]> {
  return eventIdsOfContact(db, contactId);
}

/** The contact page's section: upcoming events as shown, and whom they may be assigned to. */
export async function contactCalendar(deps: CalDeps, contactId: number, f: Fmt) {
  const [events, assignees] = await Promise.all([upcomingForContact(deps, contactId), assigneeOptions(deps)]);
  return { events: events.map((e) => eventView(e, f)), assignees, timeZone: f.timeZone };
}

/** The inbox's contact panel: the next `limit` events at `now`, as shown. */
export async function nextEventsView(db: Db, contactId: number, now: number, f: Fmt, limit = 3): Promise<EventView[]> {
  return (await upcomingOfContact(db, contactId, now, limit)).map((e) => eventView(e, f));
}
