// Audit entries as the page shows them. Values are plain strings; the view
// escapes them, so a before/after summary holding HTML shows as text.
import { formatDateTime } from '../i18n/dates.js';
import type { Locale, T } from '../i18n/i18n.js';
import { labelOr } from '../i18n/labels.js';
import type { AuditEntry } from './queries.js';
import type { AuditFilterInput } from './schema.js';

const MAX_VALUE = 160;

/** `unchanged`: the same value on both sides, kept for context (e.g. the name of what was revoked). */
export type ChangeLine = { field: string; before: string | null; after: string | null; unchanged: boolean };
export type AuditRow = {
  id: number; when: string; who: string; whoDetail: string | null; action: string; actionCode: string;
  entity: string | null; ip: string; changes: ChangeLine[];
};


export function actionLabel(t: T, action: string): string {
  return labelOr(t, `audit.action.${action}`, action);
}

export function entityLabel(t: T, type: string): string {
  return labelOr(t, `audit.entity.${type}`, type);
}

export function valueText(v: unknown): string {
  const s = v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

export function changeLines(changes: AuditEntry['changes']): ChangeLine[] {
  if (!changes) return [];
  const before = changes.before ?? {};
  const after = changes.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.map((field) => {
    const b = field in before ? valueText(before[field]) : null;
    const a = field in after ? valueText(after[field]) : null;
    return { field, before: b, after: a, unchanged: b !== null && b === a };
  });
}

type Person = { id: number; name: string; email: string };

/** Non-person actors in the user's language: "system", "cli", "apikey:3 Zapier", "anonymous". */
export function actorLabel(t: T, actor: string): string {
  const key = /^apikey:\d+ (.*)$/.exec(actor);
  if (key) return t('audit.actor.apikey', { name: key[1] });
  if (actor === 'system' || actor === 'cli' || actor === 'anonymous') return t(`audit.actor.${actor}`);
  return actor;
}

export function auditRow(e: AuditEntry, people: Map<number, Person>, t: T, locale: Locale, timeZone: string): AuditRow {
  const person = e.userId !== null ? people.get(e.userId) : undefined;
  return {
    id: e.id,
    when: formatDateTime(e.at, locale, timeZone),
    who: person ? person.name : actorLabel(t, e.actor),
    whoDetail: person ? person.email : null,
    action: actionLabel(t, e.action),
    actionCode: e.action,
    entity: e.entityType ? `${entityLabel(t, e.entityType)}${e.entityId ? ` #${e.entityId}` : ''}` : null,
    ip: e.ip ?? '—',
    changes: changeLines(e.changes),
  };
}

/** The list URL with the current filters (and optionally a page cursor). */
export function auditHref(f: Partial<AuditFilterInput>, before?: number): string {
  const q = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') q.set(k, String(v));
  };
  put('user', f.user);
  put('action', f.action);
  put('entity', f.entity);
  put('from', f.from);
  put('to', f.to);
  put('before', before);
  const s = q.toString();
  return `/settings/audit${s ? `?${s}` : ''}`;
}
