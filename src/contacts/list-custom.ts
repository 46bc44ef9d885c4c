// The list's custom field conditions: several at once, combined with AND,
// each with an operator suited to its field's type. In the query string (the
// one bulk actions and export reuse) condition i is
//   cf<i>=<field key>  co<i>=<operator>  cv<i>=<value> (repeated for "in")  cw<i>=<range end>
// with i from 1 to MAX_CUSTOM_FILTERS; the older single `cf`/`cv` pair is
// still read (as condition 0, operator chosen by type). Each condition compiles
// to a custom-field rule, i.e. a subquery on the contact_values indexes.
import { Invalid, type FieldErrors } from '../errors.js';
import { dateToMs, matchOption, parseDate, parseNumber, type CustomFieldDef } from './custom-values.js';
import { parseOptIn } from './field-values.js';
import { andOf, CUSTOM_KEY_RE, type Condition, type CustomFieldType, type Rule } from './segments/condition.js';

export const LIST_CUSTOM_OPS = ['contains', 'eq', 'range', 'in', 'is_set', 'is_not_set'] as const;
export type ListCustomOp = (typeof LIST_CUSTOM_OPS)[number];

/** The operators the filter panel offers per type; the first is the default. */
export const LIST_OPS_BY_TYPE: Record<CustomFieldType, ListCustomOp[]> = {
  text: ['contains', 'eq', 'is_set', 'is_not_set'],
  number: ['range', 'eq', 'is_set', 'is_not_set'],
  date: ['range', 'eq', 'is_set', 'is_not_set'],
  boolean: ['eq', 'is_set', 'is_not_set'],
  select: ['in', 'is_set', 'is_not_set'],
  multiselect: ['in', 'is_set', 'is_not_set'],
};

export const MAX_CUSTOM_FILTERS = 10;
const VALUE_MAX = 200;

/** `index` 0 is the legacy cf/cv pair (no operator: chosen from the type). */
export type CustomFilter = { index: number; key: string; op: ListCustomOp | null; values: string[]; to: string };

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').map((s) => s.trim()).filter(Boolean);

const first = (v: unknown): string => strings(v)[0] ?? '';

/** Reads the conditions from a parsed query string; a row without a field is an unused row of the panel and skipped. */
export function customFiltersOf(query: Record<string, unknown>): CustomFilter[] {
  const out: CustomFilter[] = [];
  const errors: FieldErrors = {};
  const legacy = first(query.cf);
  if (legacy) out.push({ index: 0, key: legacy, op: null, values: strings(query.cv).slice(0, 1), to: '' });
  for (let i = 1; i <= MAX_CUSTOM_FILTERS; i++) {
    const key = first(query[`cf${i}`]);
    if (!key) continue;
    const op = first(query[`co${i}`]);
    if (op && !(LIST_CUSTOM_OPS as readonly string[]).includes(op)) errors[`co${i}`] = { code: 'validation.choice' };
    out.push({ index: i, key, op: (op || null) as ListCustomOp | null, values: strings(query[`cv${i}`]), to: first(query[`cw${i}`]) });
  }
  for (const f of out) {
    const at = f.index ? `cf${f.index}` : 'cf';
    if (!CUSTOM_KEY_RE.test(f.key)) errors[at] = { code: 'validation.invalid' };
    if ([...f.values, f.to].some((v) => v.length > VALUE_MAX) || f.values.length > 50) errors[f.index ? `cv${f.index}` : 'cv'] = { code: 'validation.too_long', params: { max: VALUE_MAX } };
  }
  if (Object.keys(errors).length) throw new Invalid(errors);
  return out;
}

/** The conditions that parse, for redrawing the panel above an error message. */
export function lenientCustomFilters(query: unknown): CustomFilter[] {
  try {
    return customFiltersOf((query ?? {}) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/** The conditions back as query-string pairs, renumbered 1…n (the legacy pair is written in the new form). */
export function customFilterPairs(filters: CustomFilter[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  filters.forEach((f, n) => {
    const i = n + 1;
    out.push([`cf${i}`, f.key]);
    if (f.op) out.push([`co${i}`, f.op]);
    for (const v of f.values) out.push([`cv${i}`, v]);
    if (f.to) out.push([`cw${i}`, f.to]);
  });
  return out;
}

type Check = { errors: FieldErrors; f: CustomFilter; def: CustomFieldDef };

function fail(c: Check, code: string, params: Record<string, string | number> = {}): null {
  c.errors[c.f.index ? `cv${c.f.index}` : 'cv'] ??= { code, params: { label: c.def.label, ...params } };
  return null;
}

/** A number or a date value as the rule takes it, or null (with an error) when it is not one. */
function typed(c: Check, raw: string): string | number | null {
  if (c.def.type === 'number') {
    const n = parseNumber(raw);
    return n === null ? fail(c, 'contacts.filter.bad_number') : n;
  }
  const d = parseDate(raw);
  return d === null || dateToMs(d) === null ? fail(c, 'contacts.filter.bad_date') : d;
}

function rangeRule(c: Check, field: string): Rule | null {
  const [from = ''] = c.f.values;
  if (!from && !c.f.to) return fail(c, 'contacts.filter.value_required');
  const a = from ? typed(c, from) : undefined;
  const b = c.f.to ? typed(c, c.f.to) : undefined;
  if (a === null || b === null) return null;
  if (a !== undefined && b !== undefined) return { field, op: 'between', value: [a, b] };
  return a !== undefined ? { field, op: 'gte', value: a } : { field, op: 'lte', value: b! };
}

function optionsOf(c: Check): string[] | null {
  const out: string[] = [];
  for (const v of c.f.values) {
    const o = matchOption(c.def.options, v);
    if (o === null) return fail(c, 'contacts.filter.unknown_option', { value: v });
    out.push(o);
  }
  return out.length ? out : fail(c, 'contacts.filter.value_required');
}

/** The legacy pair's behaviour: no value = has a value; text contains, multiselect has, else equals. */
function legacyOp(def: CustomFieldDef, f: CustomFilter): ListCustomOp {
  if (!f.values.length) return 'is_set';
  if (def.type === 'text') return 'contains';
  if (def.type === 'select' || def.type === 'multiselect') return 'in';
  return 'eq';
}

function ruleOf(c: Check): Rule | null {
  const { def, f } = c;
  const field = `custom:${def.key}`;
  const op = f.op ?? legacyOp(def, f);
  if (!LIST_OPS_BY_TYPE[def.type].includes(op)) {
    c.errors[f.index ? `co${f.index}` : 'cf'] = { code: 'contacts.filter.bad_op', params: { label: def.label } };
    return null;
  }
  if (op === 'is_set' || op === 'is_not_set') return { field, op };
  if (op === 'range') return rangeRule(c, field);
  if (op === 'in') {
    const opts = optionsOf(c);
    return opts && { field, op: def.type === 'multiselect' ? 'has' : 'in', value: opts };
  }
  const [v = ''] = f.values;
  if (!v) return fail(c, 'contacts.filter.value_required');
  if (def.type === 'boolean') {
    const b = parseOptIn(v);
    return b === null ? fail(c, 'contacts.filter.bad_boolean') : { field, op: 'eq', value: b };
  }
  if (def.type === 'number' || def.type === 'date') {
    const x = typed(c, v);
    return x === null ? null : { field, op: 'eq', value: x };
  }
  return { field, op: op === 'contains' ? 'contains' : 'eq', value: v };
}

/**
 * The AND of the conditions. A condition on a custom field that no longer
 * exists, an operator its type does not take or a value that is not one is an
 * Invalid naming the field (shown above the list), never a 500.
 */
export function customFilterCondition(filters: CustomFilter[], fields: CustomFieldDef[]): Condition | null {
  if (!filters.length) return null;
  const errors: FieldErrors = {};
  const rules: Rule[] = [];
  for (const f of filters) {
    const def = fields.find((x) => x.key === f.key);
    if (!def) {
      errors[f.index ? `cf${f.index}` : 'cf'] = { code: 'contacts.filter.unknown_field', params: { key: f.key } };
      continue;
    }
    const r = ruleOf({ errors, f, def });
    if (r) rules.push(r);
  }
  if (Object.keys(errors).length) throw new Invalid(errors);
  return andOf(...rules);
}
