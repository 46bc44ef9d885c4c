// Contacts → what views show: dates on the install's clock in the user's
// language, badges, tag classes, custom values as text. Views never format.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { formatDateTime } from '../i18n/dates.js';
import type { Locale, T } from '../i18n/i18n.js';
import type { CustomFieldDef, CustomValue } from './custom-values.js';
import type { Activity, ConsentEvent, Note } from './history-queries.js';
import type { ListRow } from './list.js';
import type { Contact } from './queries.js';
import type { Tag } from './tags-queries.js';
import { tagClass } from './tags-service.js';

export type Fmt = { locale: Locale; timeZone: string; t: T };

export const OPT_IN_BADGE: Record<string, string> = { opted_in: 'badge-success', opted_out: 'badge-danger', unknown: '' };

// Parsing costs ~20 µs a number; list pages show the same numbers again and again.
const formatted = new Map<string, string>();

/** "+52 55 1234 5678": E.164 grouped the way the country writes it (falls back to E.164). */
export function formatPhone(e164: string): string {
  let v = formatted.get(e164);
  if (v === undefined) {
    v = parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
    if (formatted.size >= 20_000) formatted.clear();
    formatted.set(e164, v);
  }
  return v;
}

export function when(d: Date | number | null, f: Fmt): string {
  return d === null ? f.t('common.never') : formatDateTime(d, f.locale, f.timeZone);
}

export function presentTags(tags: Tag[]) {
  return tags.map((t) => ({ id: t.id, name: t.name, cls: tagClass(t.color) }));
}

export function listRows(rows: ListRow[], f: Fmt) {
  return rows.map((r) => ({
    id: r.id, name: r.displayName, phone: formatPhone(r.phone), email: r.email, tags: presentTags(r.tags),
    optIn: r.optIn, optInClass: OPT_IN_BADGE[r.optIn] ?? '',
    created: when(r.createdAt, f), updated: when(r.updatedAt, f), lastInbound: r.lastInboundAt === null ? null : when(r.lastInboundAt, f),
  }));
}

/** A custom value as text for the details page (dates as the user's locale writes them). */
export function valueText(def: CustomFieldDef, v: CustomValue | undefined, f: Fmt): string {
  if (v === undefined || v === null || (Array.isArray(v) && !v.length)) return '';
  if (def.type === 'boolean') return f.t(v ? 'common.yes' : 'common.no');
  if (def.type === 'date' && typeof v === 'string') {
    return new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${v}T00:00:00Z`));
  }
  if (def.type === 'number' && typeof v === 'number') return new Intl.NumberFormat(f.locale).format(v);
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export function contactDetails(c: Contact, fields: CustomFieldDef[], f: Fmt) {
  return {
    id: c.id, name: c.displayName, phone: formatPhone(c.phone), email: c.email, firstName: c.firstName, lastName: c.lastName,
    country: c.country, language: c.language, timezone: c.timezone, waId: c.waId,
    optIn: c.optIn, optInClass: OPT_IN_BADGE[c.optIn] ?? '', optInSource: c.optInSource, optInAt: c.optInAt ? when(c.optInAt, f) : null,
    created: when(c.createdAt, f), updated: when(c.updatedAt, f),
    lastInbound: c.lastInboundAt ? when(c.lastInboundAt, f) : null, lastOutbound: c.lastOutboundAt ? when(c.lastOutboundAt, f) : null,
    custom: fields.map((d) => ({ key: d.key, label: d.label, text: valueText(d, c.custom[d.key], f) })),
  };
}

export function notesView(notes: Note[], f: Fmt) {
  return notes.map((n) => ({ id: n.id, body: n.body, by: n.userName, at: when(n.at, f) }));
}

export function consentView(events: ConsentEvent[], f: Fmt) {
  return events.map((e) => ({ status: e.status, cls: OPT_IN_BADGE[e.status] ?? '', source: e.source, actor: e.actor, detail: e.detail, at: when(e.at, f) }));
}

/** One line per timeline entry; the text is built from i18n keys and escaped by the view. */
export function timelineView(items: Activity[], f: Fmt) {
  return items.map((a) => {
    const s = a.summary;
    let text: string;
    switch (a.kind) {
      case 'note': text = f.t('contacts.timeline.note', { excerpt: String(s.excerpt ?? '') }); break;
      case 'change': text = f.t('contacts.timeline.change', { fields: ((s.fields as string[] | undefined) ?? []).map((k) => fieldLabel(k, f)).join(', ') }); break;
      case 'consent': text = f.t(`contacts.timeline.consent.${s.status === 'opted_in' ? 'in' : 'out'}`, { source: f.t(`contacts.source.${String(s.source)}`) }); break;
      case 'created': text = f.t('contacts.timeline.created', { source: f.t(`contacts.source.${String(s.source ?? 'agent')}`) }); break;
      default: text = f.t(`contacts.timeline.${a.kind}`, { ref: a.ref ?? '', text: String(s.preview ?? s.text ?? s.name ?? '') });
    }
    return { id: a.id, kind: a.kind, text, by: a.userName, at: when(a.at, f), atMs: a.at.getTime() };
  });
}

function fieldLabel(key: string, f: Fmt): string {
  return ['phone', 'first_name', 'last_name', 'display_name', 'email', 'language', 'timezone', 'custom', 'tags'].includes(key)
    ? f.t(`contacts.field.${key}`) : key;
}
