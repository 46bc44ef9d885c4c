// Dates as people read them: in the install's timezone and the user's
// language. Times are stored as UTC epoch milliseconds; a day typed in a
// filter ("2026-11-24") means that day on the install's wall clock.
import type { Locale } from './i18n.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** "24 nov 2026, 6:00" / "Nov 24, 2026, 6:00 AM" in `timeZone`. */
export function formatDateTime(at: Date | number, locale: Locale, timeZone: string): string {
  const f = formatter(`dt|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }));
  return f.format(typeof at === 'number' ? at : at.getTime());
}

/** Milliseconds the wall clock of `timeZone` is ahead of UTC at instant `at`. */
export function zoneOffset(at: number, timeZone: string): number {
  const f = formatter(`parts|${timeZone}`, () => new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** Parses "YYYY-MM-DD"; null when it is not a real calendar day. */
export function parseDay(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

/**
 * The instant midnight starts day `day` (+ `addDays`) in `timeZone`. The
 * offset is taken twice because midnight may sit on the other side of a DST
 * change from the naive UTC guess.
 */
export function startOfDay(day: { y: number; m: number; d: number }, timeZone: string, addDays = 0): number {
  const naive = Date.UTC(day.y, day.m - 1, day.d + addDays);
  const first = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(first, timeZone);
}

/** "YYYY-MM-DD" of instant `at` on the wall clock of `timeZone`. */
export function dayOf(at: number, timeZone: string): string {
  const local = new Date(at + zoneOffset(at, timeZone));
  return local.toISOString().slice(0, 10);
}
