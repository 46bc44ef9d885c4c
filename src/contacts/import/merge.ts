// How an imported row changes a contact that already exists (same wa_key),
// per dedupe rule. Pure: the writer applies the patch it returns.
//  - fill_empty: only fields the contact lacks (and custom fields it has no value for);
//  - overwrite: every field the file gives a value for (empty cells never blank a field).
// Consent only moves away from "unknown", or to opted_out: an import never
// re-subscribes someone who opted out (their STOP outranks a spreadsheet).
import { displayNameOf, fold, searchTextOf } from '../derive.js';
import type { DedupeRule } from './jobs.js';
import type { Candidate, CustomCell } from './rows.js';

export type ExistingContact = {
  id: number; wa_key: string; phone: string; first_name: string | null; last_name: string | null;
  display_name: string; email: string | null; language: string | null; timezone: string | null;
  opt_in: string; custom: Record<string, unknown>;
};

export type ContactPatch = {
  columns: Record<string, string | number | null>;
  /** Custom fields whose values are replaced. */
  custom: CustomCell[];
  customJson: Record<string, unknown>;
  optIn: 'opted_in' | 'opted_out' | null;
  changed: string[];
};

const PLAIN = ['first_name', 'last_name', 'email', 'language', 'timezone'] as const;

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** The display name was typed (not just "first last" or the phone). */
function explicitDisplay(c: ExistingContact): string | null {
  return c.display_name === displayNameOf(c.first_name, c.last_name, null, c.phone) ? null : c.display_name;
}

function nextOptIn(current: string, wanted: boolean | null, rule: DedupeRule): ContactPatch['optIn'] {
  if (wanted === true && current === 'unknown') return 'opted_in';
  if (wanted === false && (current === 'unknown' || (rule === 'overwrite' && current === 'opted_in'))) return 'opted_out';
  return null;
}

function mergedNames(c: ExistingContact, cols: Record<string, string | number | null>, cand: Candidate, rule: DedupeRule) {
  const first = (cols.first_name as string | undefined) ?? c.first_name;
  const last = (cols.last_name as string | undefined) ?? c.last_name;
  let display = explicitDisplay(c);
  if (cand.given.display_name && (rule === 'overwrite' || display === null)) display = cand.columns.display_name;
  return { first, last, display };
}

export function patchFor(c: ExistingContact, cand: Candidate, rule: DedupeRule): ContactPatch {
  const cols: Record<string, string | number | null> = {};
  for (const k of PLAIN) {
    if (!cand.given[k]) continue;
    const v = cand.columns[k];
    if (v !== c[k] && (rule === 'overwrite' || isEmpty(c[k]))) cols[k] = v;
  }
  const { first, last, display } = mergedNames(c, cols, cand, rule);
  const displayName = displayNameOf(first, last, display, c.phone);
  if (displayName !== c.display_name) cols.display_name = displayName;
  const changed = Object.keys(cols);
  if (changed.length) {
    cols.sort_name = fold(displayName);
    const email = (cols.email as string | undefined) ?? c.email;
    cols.search_text = searchTextOf({ first_name: first, last_name: last, display_name: displayName, email, phone: c.phone });
  }
  const custom = cand.custom.filter((cell) => rule === 'overwrite' || isEmpty(c.custom[cell.field.key]))
    .filter((cell) => JSON.stringify(c.custom[cell.field.key]) !== JSON.stringify(cell.json));
  const customJson = { ...c.custom };
  for (const cell of custom) customJson[cell.field.key] = cell.json;
  if (custom.length) changed.push(...custom.map((cell) => `custom:${cell.field.key}`));
  const optIn = nextOptIn(c.opt_in, cand.optIn, rule);
  if (optIn) changed.push('opt_in');
  return { columns: cols, custom, customJson, optIn, changed };
}
