// Automatic column mapping for contact imports: a first guess from headers
// (column-rules.ts) and, when headers say nothing, from sample values. The
// result is a proposal shown in the preview; staff can change any target and
// the edited mapping comes back through ColumnMappingInput (import-schema.ts)
// and validateMapping.
import { looksLikePhone, normalizePhone } from './phone.js';
import {
  AMBIGUOUS_NAME,
  SINGLE_TARGETS,
  matchRule,
  normalizeHeader,
  type BuiltinTarget,
  type MappingTarget,
  type RuleTarget,
} from './column-rules.js';

export { normalizeHeader, type BuiltinTarget, type MappingTarget } from './column-rules.js';

export interface ColumnAssignment {
  index: number;
  header: string;
  target: MappingTarget;
  /** Why: a known header, the sample values, or nothing known (custom/ignore). */
  source: 'header' | 'content' | 'default';
}
export type ColumnMapping = ColumnAssignment[];
export interface AutoMapOptions {
  sample?: readonly (readonly string[])[];
  defaultCountry?: string | null;
}

export const FIXED_TARGETS = [
  'first_name', 'last_name', 'display_name', 'phone', 'email', 'language', 'timezone', 'tags', 'notes', 'opt_in', 'ignore',
] as const satisfies readonly (BuiltinTarget | 'ignore')[];
export const CUSTOM_KEY = /^custom:[a-z][a-z0-9_]{0,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Propose a target for every column. */
export function autoMap(headers: readonly string[], opts: AutoMapOptions = {}): ColumnMapping {
  const sample = opts.sample ?? [];
  const taken = new Set<string>();
  const mapping: ColumnMapping = headers.map((header, index) => ({ index, header, target: 'ignore', source: 'default' }));
  const claims = headers
    .map((header, index) => ({ index, rule: matchRule(header) }))
    .filter((c): c is { index: number; rule: { target: RuleTarget; score: number } } => c.rule !== undefined);
  const byScore = [...claims].sort((a, b) => b.rule.score - a.rule.score || a.index - b.index);
  for (const { index, rule } of byScore) {
    if (rule.target !== AMBIGUOUS_NAME) assign(mapping[index], rule.target, taken);
  }
  // "Nombre"/"Name" is a first name only beside a surname or full-name
  // column and when no "Given Name" column exists (old Google exports have
  // Name + Given Name + Family Name: there "Name" is the full name).
  for (const { index, rule } of claims) {
    if (rule.target !== AMBIGUOUS_NAME) continue;
    const split = !taken.has('first_name') && (taken.has('last_name') || taken.has('display_name'));
    assign(mapping[index], split ? 'first_name' : 'display_name', taken);
  }
  for (const col of mapping) {
    if (col.source === 'default' && col.target === 'ignore') defaultTarget(col, sample, taken);
  }
  // Shape first: national numbers read without the right default country
  // still look like phones, and the preview lets staff fix the country.
  const isPhone = (v: string) => looksLikePhone(v) || normalizePhone(v, opts.defaultCountry).ok;
  if (!taken.has('phone')) detectByContent(mapping, sample, 'phone', isPhone, taken);
  if (!taken.has('email')) detectByContent(mapping, sample, 'email', (v) => EMAIL.test(v), taken);
  return mapping;
}

/** Problems that block an import with this mapping (i18n codes). */
export function validateMapping(mapping: readonly Pick<ColumnAssignment, 'index' | 'target'>[], columnCount: number): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { index, target } of mapping) {
    if (index >= columnCount) problems.push('contacts.import.mapping_unknown_column');
    if (target === 'ignore') continue;
    if (target.startsWith('custom:') && !CUSTOM_KEY.test(target)) problems.push('contacts.import.mapping_bad_custom_key');
    if (seen.has(target)) problems.push('contacts.import.mapping_duplicate_target');
    seen.add(target);
  }
  if (!seen.has('phone')) problems.push('contacts.import.no_phone_column');
  return [...new Set(problems)];
}

/** Index of the phone column, if mapped. */
export function phoneColumn(mapping: readonly ColumnAssignment[]): number | undefined {
  return mapping.find((c) => c.target === 'phone')?.index;
}

/** A custom-field key from a header: "Fecha de alta" → "fecha_de_alta". */
export function customKeyFor(header: string, index: number): `custom:${string}` {
  let key = normalizeHeader(header).replace(/ /g, '_').slice(0, 40);
  if (/^\d/.test(key)) key = `c_${key}`.slice(0, 40);
  return `custom:${key || `column_${index + 1}`}`;
}

function assign(col: ColumnAssignment, target: MappingTarget, taken: Set<string>): void {
  col.source = 'header';
  if (target === 'ignore') return;
  // A second "Phone 2 - Value" or e-mail column stays out rather than
  // overwriting the first; staff can turn it into a custom field.
  if (taken.has(target)) {
    col.target = target.startsWith('custom:') ? uniqueKey(target as `custom:${string}`, taken) : 'ignore';
  } else {
    col.target = target;
  }
  if (col.target !== 'ignore') taken.add(col.target);
}

/** Unknown headers with data become custom fields; empty ones are ignored. */
function defaultTarget(col: ColumnAssignment, sample: readonly (readonly string[])[], taken: Set<string>): void {
  const hasData = sample.length === 0 || sample.some((row) => (row[col.index] ?? '').trim() !== '');
  if (!hasData) return;
  col.target = uniqueKey(customKeyFor(col.header, col.index), taken);
  taken.add(col.target);
}

function uniqueKey(key: `custom:${string}`, taken: Set<string>): `custom:${string}` {
  if (!taken.has(key)) return key;
  for (let n = 2; ; n++) {
    const candidate = `${key.slice(0, 46 - String(n).length)}_${n}` as `custom:${string}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Claim `target` for the unrecognised column whose sample values match best
 * (at least 60% of its non-empty values), e.g. a phone column headed "Dato".
 */
function detectByContent(
  mapping: ColumnMapping,
  sample: readonly (readonly string[])[],
  target: 'phone' | 'email',
  matches: (value: string) => boolean,
  taken: Set<string>,
): void {
  let best: ColumnAssignment | undefined;
  let bestRatio = 0.6 - Number.EPSILON;
  for (const col of mapping) {
    if (col.source !== 'default') continue;
    const values = sample.map((row) => (row[col.index] ?? '').trim()).filter(Boolean);
    if (values.length === 0) continue;
    const ratio = values.filter(matches).length / values.length;
    if (ratio > bestRatio) [best, bestRatio] = [col, ratio];
  }
  if (!best) return;
  taken.delete(best.target);
  Object.assign(best, { target, source: 'content' });
  taken.add(target);
}
