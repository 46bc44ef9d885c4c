// Shared by the calendar tests: a contact, events written through the
// service, and events inserted directly in bulk. Used by *.test.ts only.
import { auditAs } from '../audit/context.js';
import { SYSTEM_ACTOR } from '../audit/service.js';
import type { Deps } from '../deps.js';
import { createEvent, type CalendarEvent } from './service.js';

export const TZ = 'America/Mexico_City';
export const who = { userId: null, label: 'system' };

export function systemAudit(deps: Deps) {
  return auditAs(SYSTEM_ACTOR, deps.clock);
}

export function addEvent(deps: Deps, contactId: number | null, form: Record<string, unknown>): Promise<CalendarEvent> {
  return createEvent(deps, who, { title: 'Limpieza dental', date: '2026-11-25', start_time: '10:00', end_time: '10:45', time_zone: TZ, contact_id: contactId, ...form }, systemAudit(deps));
}

/** Rows straight into `events` (for paging tests that need many). */
export async function insertEvents(deps: Deps, rows: Array<{ title: string; startsAt: number; contactId?: number | null; assignedUserId?: number | null; status?: string }>): Promise<void> {
  const now = deps.clock.now();
  await deps.db('events').insert(rows.map((r) => ({
    contact_id: r.contactId ?? null, title: r.title, starts_at: r.startsAt, ends_at: r.startsAt + 30 * 60_000, all_day: false, time_zone: TZ,
    status: r.status ?? 'scheduled', assigned_user_id: r.assignedUserId ?? null, created_at: now, updated_at: now,
  })));
}
