// Typed custom field values: what people type (a form, an import cell, API
// JSON) → the value shown (contacts.custom JSON) and the indexed rows of
// contact_values that segments filter on. Pure, shared by the single-contact
// writer and the batched importer so both store the same thing.
//
// Storage per type (one row per value, several for multiselect):
//   text        text_value = folded (lower-case, accent-free) copy, so filters
//               are case/accent-insensitive and identical on both engines;
//               the typed spelling lives in contacts.custom.
//   number      num_value
//   date        text_value 'YYYY-MM-DD' + num_value epoch ms (UTC midnight)
//   boolean     text_value 'true' | 'false'
//   select      text_value = the option as defined
//   multiselect one row per option
import { fold } from './derive.js';
import { parseOptIn } from './field-values.js';
import type { CustomFieldType } from './segments/condition.js';

export type CustomFieldDef = { id: number; key: string; label: string; type: CustomFieldType; options: string[]; position: number };
export type CustomValue = string | number | boolean | string[] | null;
export type ValueRow = { text_value: string | null; num_value: number | null };

export type CustomErrorCode =
  | 'contacts.custom.too_long'
  | 'contacts.custom.not_a_number'
  | 'contacts.custom.bad_date'
  | 'contacts.custom.bad_boolean'
  | 'contacts.custom.unknown_option';

export type ParsedValue = { ok: true; value: CustomValue; rows: ValueRow[] } | { ok: false; code: CustomErrorCode };

export const TEXT_MAX = 500;
const DAY = 86_400_000;
const EMPTY: ParsedValue = { ok: true, value: null, rows: [] };

function isEmpty(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
}

/** 'YYYY-MM-DD' → epoch ms at UTC midnight, or null when not a real date. */
export function dateToMs(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === iso ? ms : null;
}

/** Accepts YYYY-MM-DD, DD/MM/YYYY and DD-MM-YYYY (the order used across Latin America and Spain). */
export function parseDate(raw: unknown): string | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString().slice(0, 10);
  const s = String(raw).trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const parts = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : null;
  if (!parts) return null;
  const out = `${parts[0]}-${parts[1]!.padStart(2, '0')}-${parts[2]!.padStart(2, '0')}`;
  return dateToMs(out) === null ? null : out;
}

/** "1234.5", "1234,5", 12 → number; null when not a number. */
export function parseNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  const s = String(raw).trim().replace(/\s/g, '');
  const normalised = /^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(normalised)) return null;
  const n = Number(normalised);
  return Number.isFinite(n) ? n : null;
}

function parseBool(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  return parseOptIn(String(raw));
}

/** The defined option matching `raw` (case and accents ignored), or null. */
export function matchOption(options: string[], raw: unknown): string | null {
  const want = fold(String(raw));
  return options.find((o) => fold(o) === want) ?? null;
}

function splitMulti(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(/[,;|]/);
  return list.map((s) => s.trim()).filter(Boolean);
}

function parseMulti(def: CustomFieldDef, raw: unknown): ParsedValue {
  const chosen: string[] = [];
  for (const item of splitMulti(raw)) {
    const opt = matchOption(def.options, item);
    if (!opt) return { ok: false, code: 'contacts.custom.unknown_option' };
    if (!chosen.includes(opt)) chosen.push(opt);
  }
  if (!chosen.length) return EMPTY;
  return { ok: true, value: chosen, rows: chosen.map((o) => ({ text_value: o, num_value: null })) };
}

/** Validate and convert one value for `def`. Empty input clears the value. */
export function parseCustomValue(def: CustomFieldDef, raw: unknown): ParsedValue {
  if (isEmpty(raw)) return EMPTY;
  switch (def.type) {
    case 'text': {
      const s = String(raw).trim();
      if (s.length > TEXT_MAX) return { ok: false, code: 'contacts.custom.too_long' };
      return { ok: true, value: s, rows: [{ text_value: fold(s).slice(0, TEXT_MAX), num_value: null }] };
    }
    case 'number': {
      const n = parseNumber(raw);
      return n === null ? { ok: false, code: 'contacts.custom.not_a_number' } : { ok: true, value: n, rows: [{ text_value: null, num_value: n }] };
    }
    case 'date': {
      const d = parseDate(raw);
      return d === null ? { ok: false, code: 'contacts.custom.bad_date' } : { ok: true, value: d, rows: [{ text_value: d, num_value: dateToMs(d) }] };
    }
    case 'boolean': {
      const b = parseBool(raw);
      return b === null ? { ok: false, code: 'contacts.custom.bad_boolean' } : { ok: true, value: b, rows: [{ text_value: String(b), num_value: null }] };
    }
    case 'select': {
      const opt = matchOption(def.options, raw);
      return opt === null ? { ok: false, code: 'contacts.custom.unknown_option' } : { ok: true, value: opt, rows: [{ text_value: opt, num_value: null }] };
    }
    case 'multiselect':
      return parseMulti(def, raw);
  }
}

/** Start of the UTC day containing `ms` (date comparisons are by whole days). */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export { DAY };
