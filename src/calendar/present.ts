// Events → what the pages show: dates and times on the viewer's wall clock
// (the install's time zone), grouped by day for the agenda.
import { dayOf } from '../i18n/dates.js';
import type { Locale, T } from '../i18n/i18n.js';
import type { CalendarEvent } from './queries.js';

export type Fmt = { locale: Locale; timeZone: string; t: T };

const cache = new Map<string, Intl.DateTimeFormat>();
function fmtr(kind: 'date' | 'time' | 'day' | 'hm', locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = kind === 'date' ? { dateStyle: 'medium' }
      : kind === 'time' ? { timeStyle: 'short' }
        : kind === 'day' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
          : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    cache.set(key, f);
  }
  return f;
}

export const STATUS_BADGE: Record<string, string> = { scheduled: 'badge-neutral', confirmed: 'badge-success', cancelled: 'badge-danger', done: '' };

export type EventView = {
  id: number; title: string; date: string; time: string; day: string; status: string; statusCls: string;
  contactId: number | null; contactName: string | null; assignedUserName: string | null; notes: string | null; location: string | null;
};

export function eventView(e: CalendarEvent, f: Fmt): EventView {
  const time = e.allDay ? f.t('calendar.all_day')
    : `${fmtr('time', f.locale, f.timeZone).format(e.startsAt)} – ${fmtr('time', f.locale, f.timeZone).format(e.endsAt)}`;
  return {
    id: e.id, title: e.title, date: fmtr('date', f.locale, f.timeZone).format(e.startsAt), time, day: dayOf(e.startsAt, f.timeZone),
    status: e.status, statusCls: STATUS_BADGE[e.status] ?? '', contactId: e.contactId, contactName: e.contactName,
    assignedUserName: e.assignedUserName, notes: e.notes, location: e.location,
  };
}

export type AgendaDay = { day: string; label: string; events: EventView[] };

/** Consecutive events of one wall-clock day (in f.timeZone) under one heading; the input is in time order. */
export function groupByDay(events: CalendarEvent[], f: Fmt): AgendaDay[] {
  const out: AgendaDay[] = [];
  for (const e of events) {
    const v = eventView(e, f);
    const cur = out[out.length - 1];
    if (cur && cur.day === v.day) cur.events.push(v);
    else out.push({ day: v.day, label: fmtr('day', f.locale, f.timeZone).format(e.startsAt), events: [v] });
  }
  return out;
}

/** The edit form's values: the event's date and times on the wall clock of the zone it was typed in. */
export function formValues(e: CalendarEvent): Record<string, string> {
  const hm = fmtr('hm', 'en-GB', e.timeZone);
  return {
    title: e.title, date: dayOf(e.startsAt, e.timeZone), start_time: e.allDay ? '' : hm.format(e.startsAt), end_time: e.allDay ? '' : hm.format(e.endsAt),
    all_day: e.allDay ? '1' : '', notes: e.notes ?? '', location: e.location ?? '',
    assigned_user_id: e.assignedUserId === null ? '' : String(e.assignedUserId), status: e.status === 'cancelled' ? 'scheduled' : e.status,
  };
}
