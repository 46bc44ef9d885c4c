// What the API key pages show: presented data only, never rows.
import { formatDateTime } from '../i18n/dates.js';
import type { Locale, T } from '../i18n/i18n.js';
import { labelOr } from '../i18n/labels.js';
import type { Permission } from '../users/permissions.js';
import type { ApiKey } from './queries.js';
import { scopeGroups } from './service.js';

export type KeyRow = {
  id: number;
  name: string;
  shownKey: string;
  scopes: string[];
  createdBy: string;
  created: string;
  lastUsed: string;
  revoked: string | null;
};


export function keyRow(k: ApiKey, t: T, locale: Locale, timeZone: string): KeyRow {
  return {
    id: k.id,
    name: k.name,
    shownKey: `${k.prefix}…`,
    scopes: k.scopes,
    createdBy: k.createdByName ?? t('apikeys.created_by_cli'),
    created: formatDateTime(k.createdAt, locale, timeZone),
    lastUsed: k.lastUsedAt ? formatDateTime(k.lastUsedAt, locale, timeZone) : t('common.never'),
    revoked: k.revokedAt ? formatDateTime(k.revokedAt, locale, timeZone) : null,
  };
}

export type ScopeGroupView = { label: string; scopes: Array<{ value: Permission; label: string }> };

/** Checkbox groups for the create form, labelled in the user's language. */
export function scopeChoices(scopes: Permission[], t: T): ScopeGroupView[] {
  return scopeGroups(scopes).map((g) => ({
    label: labelOr(t, `apikeys.feature.${g.feature}`, g.feature),
    scopes: g.scopes.map((s) => ({ value: s, label: labelOr(t, `apikeys.verb.${s.split(':')[1]}`, s) })),
  }));
}

/** Checked boxes as a list, whatever shape the form posted. */
export function checkedScopes(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v ? [v] : [];
}
