// One file row → a contact candidate or a rejection reason. Pure and
// deterministic (no database): the worker runs it again over the committed
// rows after a crash to rebuild the "already seen in this file" set exactly.
import { contactDerivedColumns, type DerivedColumns } from '../derive.js';
import { parseLanguage, parseOptIn, parseTimezone, splitTags } from '../field-values.js';
import type { ImportRecord } from '../import-reader.js';
import type { UiLanguage } from '../timezone.js';
import { parseCustomValue, type CustomFieldDef, type CustomValue, type ValueRow } from '../custom-values.js';
import type { MappedColumn } from './jobs.js';

/** Why a row was rejected: an i18n code, its params, and optionally a nested code shown as {problem}. */
export type Reason = { code: string; params?: Record<string, string | number>; problem?: string };

/** Which contact fields the file actually gave a value for (fill/overwrite touch only those). */
export type Given = Partial<Record<'first_name' | 'last_name' | 'display_name' | 'email' | 'language' | 'timezone', true>>;

export type CustomCell = { field: CustomFieldDef; rows: ValueRow[]; json: CustomValue };

export type Candidate = {
  rowNumber: number;
  values: string[];
  columns: DerivedColumns;
  given: Given;
  /** true/false from an opt-in column, else the job's checkbox (true) or null. */
  optIn: boolean | null;
  tags: string[];
  notes: string | null;
  custom: CustomCell[];
};

export type Prepared = { ok: true; candidate: Candidate } | { ok: false; rowNumber: number; values: string[]; reason: Reason };

export type RowContext = {
  columns: MappedColumn[];
  fields: Map<string, CustomFieldDef>;
  defaultCountry: string | null;
  fallbackLanguage: UiLanguage;
  fallbackTimezone: string;
  jobTags: string[];
  jobOptIn: boolean;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Cells = { plain: Record<string, string>; tags: string[]; custom: Array<[CustomFieldDef, string]> };

function cellsOf(rec: ImportRecord, ctx: RowContext): Cells {
  const out: Cells = { plain: {}, tags: [], custom: [] };
  for (const col of ctx.columns) {
    const v = (rec.values[col.index] ?? '').trim();
    if (!v || col.target === 'ignore') continue;
    if (col.target === 'tags') out.tags.push(...splitTags(v));
    else if (col.target.startsWith('custom:')) {
      const field = ctx.fields.get(col.target.slice(7));
      if (field) out.custom.push([field, v]);
    } else out.plain[col.target] = v;
  }
  return out;
}

function customOf(cells: Cells): CustomCell[] | Reason {
  const out: CustomCell[] = [];
  for (const [field, raw] of cells.custom) {
    const r = parseCustomValue(field, raw);
    if (!r.ok) return { code: 'import.reject.bad_value', params: { field: field.label, value: raw.slice(0, 60) }, problem: r.code };
    if (r.value !== null) out.push({ field, rows: r.rows, json: r.value });
  }
  return out;
}

function givenOf(p: Record<string, string>, language: UiLanguage | null, timezone: string | null): Given {
  const g: Given = {};
  for (const k of ['first_name', 'last_name', 'display_name', 'email'] as const) if (p[k]) g[k] = true;
  if (language) g.language = true;
  if (timezone) g.timezone = true;
  return g;
}

function uniqueTags(a: string[], b: string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of [...a, ...b]) {
    const k = t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    if (!seen.has(k)) seen.set(k, t);
  }
  return [...seen.values()];
}

/** Validate and shape one record. */
export function prepareRow(rec: ImportRecord, ctx: RowContext): Prepared {
  const reject = (reason: Reason): Prepared => ({ ok: false, rowNumber: rec.rowNumber, values: rec.values, reason });
  if (rec.issue?.severity === 'error') return reject({ code: rec.issue.code, params: rec.issue.params });
  const cells = cellsOf(rec, ctx);
  const p = cells.plain;
  if (p.email && !EMAIL.test(p.email)) return reject({ code: 'import.reject.bad_email', params: { value: p.email.slice(0, 80) } });
  const language = p.language ? parseLanguage(p.language) : null;
  const timezone = p.timezone ? parseTimezone(p.timezone) : null;
  const derived = contactDerivedColumns(
    { phone: p.phone ?? '', first_name: p.first_name, last_name: p.last_name, display_name: p.display_name, email: p.email, language, timezone },
    { defaultCountry: ctx.defaultCountry, fallbackLanguage: ctx.fallbackLanguage, fallbackTimezone: ctx.fallbackTimezone },
  );
  if (!derived.ok) return reject({ code: derived.code, params: { value: (p.phone ?? '').slice(0, 40) } });
  const custom = customOf(cells);
  if (!Array.isArray(custom)) return reject(custom);
  const cellOptIn = p.opt_in ? parseOptIn(p.opt_in) : null;
  return {
    ok: true,
    candidate: {
      rowNumber: rec.rowNumber,
      values: rec.values,
      columns: derived.columns,
      given: givenOf(p, language, timezone),
      optIn: cellOptIn ?? (ctx.jobOptIn ? true : null),
      tags: uniqueTags(cells.tags, ctx.jobTags),
      notes: p.notes ? p.notes.slice(0, 5000) : null,
      custom,
    },
  };
}
