// Conversation rows → list items: a short time ("14:05" today, "24 nov"
// before), the preview, unread count and the link that keeps the filters.
import { dayOf } from '../i18n/dates.js';
import type { Locale } from '../i18n/i18n.js';
import type { Conversation } from './queries.js';
import type { ListQuery } from './schema.js';

export type ConversationItem = {
  id: number;
  name: string;
  phone: string;
  preview: string;
  time: string;
  datetime: string;
  unread: number;
  status: Conversation['status'];
  assignee: string | null;
  number: string;
  href: string;
};

export function shortTime(at: number, now: number, locale: Locale, timeZone: string): string {
  const sameDay = dayOf(at, timeZone) === dayOf(now, timeZone);
  const opts: Intl.DateTimeFormatOptions = sameDay ? { hour: '2-digit', minute: '2-digit', timeZone } : { day: 'numeric', month: 'short', timeZone };
  return new Intl.DateTimeFormat(locale, opts).format(at);
}

/** The list's filters as a query string (no cursor), so links and live refreshes keep them. */
export function filterQuery(f: Pick<ListQuery, 'view' | 'status' | 'number' | 'q' | 'cursor'>, withCursor = false): string {
  const p = new URLSearchParams();
  if (f.view !== 'all') p.set('view', f.view);
  if (f.status !== 'open') p.set('status', f.status);
  if (f.number) p.set('number', String(f.number));
  if (f.q) p.set('q', f.q);
  if (withCursor && f.cursor) p.set('cursor', f.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function conversationItems(rows: Conversation[], f: ListQuery, now: number, locale: Locale, timeZone: string): ConversationItem[] {
  const qs = filterQuery(f, true);
  return rows.map((c) => ({
    id: c.id,
    name: c.contactName,
    phone: c.contactPhone,
    preview: c.lastPreview ?? '',
    time: shortTime(c.lastMessageAt, now, locale, timeZone),
    datetime: new Date(c.lastMessageAt).toISOString(),
    unread: c.unreadCount,
    status: c.status,
    assignee: c.assignedName,
    number: c.numberLabel,
    href: `/inbox/${c.id}${qs}`,
  }));
}

/** A search for a phone number matches on digits; anything else on the folded name/e-mail text. */
export function searchTerm(q: string | undefined, fold: (s: string) => string): string | undefined {
  if (!q) return undefined;
  if (/^[\d\s+().-]+$/.test(q)) {
    const digits = q.replace(/\D/g, '');
    return digits || undefined;
  }
  return fold(q) || undefined;
}
