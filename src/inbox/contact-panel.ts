// The contact beside the thread: details, tags, custom fields and consent.
// Read-only here; editing happens on the contact's own page.
import type { Db } from '../db/knex.js';
import { formatDateTime } from '../i18n/dates.js';
import type { Locale } from '../i18n/i18n.js';
import { json, num } from '../db/rows.js';
import { nextEventsView, type EventView } from '../calendar/service.js';
import type { T } from '../i18n/i18n.js';

export type ContactPanel = {
  id: number;
  name: string;
  firstName: string | null;
  lastName: string | null;
  phone: string;
  email: string | null;
  language: string | null;
  country: string | null;
  optIn: 'opted_in' | 'opted_out' | 'unknown';
  optInSource: string | null;
  optInAt: string | null;
  lastInboundAt: string | null;
  tags: Array<{ name: string; color: string | null }>;
  fields: Array<{ label: string; value: string }>;
  /** Raw custom values by key, for quick-reply variables. */
  custom: Record<string, unknown>;
  /** The next 3 appointments (not over, not cancelled), on the viewer's wall clock. */
  upcoming: EventView[];
};

type Row = Record<string, unknown>;

function fieldText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (v === null || v === undefined) return '';
  return String(v);
}

async function customFields(db: Db, custom: Record<string, unknown>): Promise<ContactPanel['fields']> {
  const defs = await db('custom_fields').select('key', 'label').orderBy([{ column: 'position' }, { column: 'id' }]);
  return defs
    .map((d: Row) => ({ label: String(d.label), value: fieldText(custom[String(d.key)]) }))
    .filter((f: { value: string }) => f.value !== '');
}

export async function contactPanel(
  db: Db, contactId: number, locale: Locale, timeZone: string, cal: { now: number; t: T },
): Promise<ContactPanel | null> {
  const c = await db('contacts').where({ id: contactId }).first();
  if (!c) return null;
  const tags = await db('contact_tags as ct').join('tags as tg', 'tg.id', 'ct.tag_id').where('ct.contact_id', contactId).select('tg.name', 'tg.color').orderBy('tg.name');
  const custom = json<Record<string, unknown>>(c.custom, {});
  const when = (v: unknown) => (v === null || v === undefined ? null : formatDateTime(num(v), locale, timeZone));
  return {
    id: num(c.id), name: String(c.display_name), firstName: c.first_name ?? null, lastName: c.last_name ?? null,
    phone: String(c.phone), email: c.email ?? null, language: c.language ?? null, country: c.country ?? null,
    optIn: (['opted_in', 'opted_out'].includes(c.opt_in) ? c.opt_in : 'unknown') as ContactPanel['optIn'],
    optInSource: c.opt_in_source ?? null, optInAt: when(c.opt_in_at), lastInboundAt: when(c.last_inbound_at),
    tags: tags.map((t: Row) => ({ name: String(t.name), color: (t.color as string | null) ?? null })),
    fields: await customFields(db, custom),
    custom,
    upcoming: await nextEventsView(db, contactId, cal.now, { locale, timeZone, t: cal.t }),
  };
}
