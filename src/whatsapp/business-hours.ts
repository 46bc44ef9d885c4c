// Business hours per number: { tz, days: { mon: [["09:00","18:00"]], … } }.
// A day that is missing or empty is closed. Evaluated in the number's timezone.
import type { BusinessHours } from './numbers-queries.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

const SHORT: Record<string, Day> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** Weekday and minutes since midnight of `at` in `tz`. */
export function localTime(at: number, tz: string): { day: Day; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: SHORT[get('weekday')] ?? 'mon', minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function toMinutes(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : hhmm.trim() === '24:00' ? 1440 : null;
}

/** True while `at` falls inside one of the day's ranges (end exclusive). */
export function isOpenAt(hours: BusinessHours, at: number): boolean {
  const { day, minutes } = localTime(at, hours.tz);
  return (hours.days[day] ?? []).some(([from, to]) => {
    const a = toMinutes(from);
    const b = toMinutes(to);
    return a !== null && b !== null && minutes >= a && minutes < b;
  });
}

/** "09:00-14:00, 16:00-19:00" per day ↔ the JSON shape (for the number form). */
export function parseDayRanges(text: string): Array<[string, string]> | null {
  const out: Array<[string, string]> = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) return null;
    const from = m[1]!.padStart(5, '0');
    const to = m[2]!.padStart(5, '0');
    const a = toMinutes(from);
    const b = toMinutes(to);
    if (a === null || b === null || b <= a) return null;
    out.push([from, to]);
  }
  return out;
}

export function formatDayRanges(ranges: Array<[string, string]> | undefined): string {
  return (ranges ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}
