// What a person types into the event form, checked and turned into instants.
// The date and times are wall-clock values in `time_zone` (the zone the form
// was shown in); the parse gives UTC epoch ms for storage.
import { z } from 'zod';
import { parseDay, startOfDay, zoneOffset } from '../i18n/dates.js';
import { isTimezone } from '../i18n/timezones.js';

export const EVENT_STATUSES = ['scheduled', 'confirmed', 'cancelled', 'done'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
/** Statuses a form may set; cancelling has its own button. */
export const EDITABLE_STATUSES = ['scheduled', 'confirmed', 'done'] as const;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : null));
const optionalId = z.union([z.literal(''), z.coerce.number().int().positive()]).optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

/** The instant wall-clock `hh:mm` of `day` happens in `timeZone` (offset taken twice, as startOfDay does). */
export function wallTimeToInstant(day: { y: number; m: number; d: number }, hh: number, mm: number, timeZone: string): number {
  const naive = Date.UTC(day.y, day.m - 1, day.d, hh, mm);
  const first = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(first, timeZone);
}

const minutesOf = (hhmm: string) => {
  const m = TIME.exec(hhmm)!;
  return { hh: Number(m[1]), mm: Number(m[2]) };
};

export const EventInput = z.object({
  title: z.string().trim().min(1).max(200),
  date: z.string().trim().min(1).refine((s) => parseDay(s) !== null, { message: 'calendar.bad_date' }),
  start_time: z.string().trim().optional().default(''),
  end_time: z.string().trim().optional().default(''),
  all_day: z.union([z.literal('1'), z.literal('on'), z.literal('true'), z.literal(''), z.boolean()]).optional()
    .transform((v) => v === true || v === '1' || v === 'on' || v === 'true'),
  time_zone: z.string().refine(isTimezone, { message: 'calendar.bad_time_zone' }),
  notes: optionalText(2000),
  location: optionalText(200),
  assigned_user_id: optionalId,
  contact_id: z.number().int().positive().nullable().optional().transform((v) => v ?? null),
  status: z.enum(EDITABLE_STATUSES).optional(),
}).superRefine((v, ctx) => {
  if (v.all_day) return;
  if (!TIME.test(v.start_time)) ctx.addIssue({ code: 'custom', path: ['start_time'], message: v.start_time ? 'calendar.bad_time' : 'validation.required' });
  if (!TIME.test(v.end_time)) ctx.addIssue({ code: 'custom', path: ['end_time'], message: v.end_time ? 'calendar.bad_time' : 'validation.required' });
  if (TIME.test(v.start_time) && TIME.test(v.end_time) && v.end_time <= v.start_time) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'calendar.end_before_start' });
  }
}).transform((v) => {
  const day = parseDay(v.date)!;
  let startsAt: number;
  let endsAt: number;
  if (v.all_day) {
    startsAt = startOfDay(day, v.time_zone);
    endsAt = startOfDay(day, v.time_zone, 1);
  } else {
    const s = minutesOf(v.start_time);
    const e = minutesOf(v.end_time);
    startsAt = wallTimeToInstant(day, s.hh, s.mm, v.time_zone);
    endsAt = wallTimeToInstant(day, e.hh, e.mm, v.time_zone);
  }
  return {
    title: v.title, notes: v.notes, location: v.location, startsAt, endsAt, allDay: v.all_day, timeZone: v.time_zone,
    assignedUserId: v.assigned_user_id, contactId: v.contact_id, status: v.status,
  };
});
export type EventInput = z.infer<typeof EventInput>;

/** The agenda's query string: `user` (assigned user id) and `after` ("<starts_at>.<id>"). */
export const AgendaQuery = z.object({
  user: optionalId,
  after: z.string().regex(/^\d{1,15}\.\d{1,15}$/).optional()
    .transform((s) => (s ? { startsAt: Number(s.split('.')[0]), id: Number(s.split('.')[1]) } : null)),
});

export const EventId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
