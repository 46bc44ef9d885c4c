// Condition tree → WHERE clauses on a query over `contacts`. Every value goes
// in as a binding through the Knex builder (or the dialect helpers), never
// concatenated, and each rule is written so both engines return the same rows:
// text comparisons only touch columns stored folded (lower-case, accent-free),
// and "not" rules (neq, not_in, has_not) also match contacts with no value.
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { whereAnyContains, whereStartsWith, whereTrigramContains } from '../../db/dialect.js';
import { Invalid } from '../../errors.js';
import { parseDay, startOfDay } from '../../i18n/dates.js';
import { dateToMs, dayStart, DAY, parseDate, parseNumber, type CustomFieldDef } from '../custom-values.js';
import { fold } from '../derive.js';
import { normalizePhone } from '../phone.js';
import {
  CUSTOM_OPS, customKey, depthOf, FIELD_OPS, isCustom, isRule, MAX_DEPTH, MAX_RULES, OPT_IN_STATES, rulesOf, VALUELESS,
  type Condition, type FixedField, type Rule, type Scalar,
} from './condition.js';
import { applyCampaignRule } from './compile-campaign.js';
import { applyCustomRule } from './compile-custom.js';

/** `timeZone`: the install's, so "created on 2026-11-24" means that day on its wall clock. */
export type CompileOptions = { now?: number; timeZone?: string };
export type Ctx = { db: Db; fields: Map<string, CustomFieldDef>; now: number; timeZone: string };
type QB = Knex.QueryBuilder;

/** Invalid on the segment's `definition`, with a specific code (an i18n key). */
export function badRule(code: string, params: Record<string, string | number> = {}): Invalid {
  return new Invalid({ definition: { code, params } }, code);
}

/** Throws Invalid ('segments.unknown_field', 'segments.bad_op', 'segments.bad_value', …) for a tree that cannot run. */
export function checkCondition(cond: Condition, fields: CustomFieldDef[]): void {
  if (depthOf(cond) > MAX_DEPTH) throw badRule('segments.too_deep', { max: MAX_DEPTH });
  const rules = rulesOf(cond);
  if (rules.length > MAX_RULES) throw badRule('segments.too_many_rules', { max: MAX_RULES });
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const r of rules) {
    const ops = isCustom(r.field) ? customOps(byKey, r.field) : FIELD_OPS[r.field as FixedField];
    if (!ops) throw badRule('segments.bad_field', { field: r.field });
    if (!ops.includes(r.op)) throw badRule('segments.bad_op', { field: r.field, op: r.op });
    if (!VALUELESS.has(r.op) && (r.value === undefined || r.value === null || r.value === '')) {
      throw badRule('segments.bad_value', { field: r.field });
    }
  }
}

function customOps(byKey: Map<string, CustomFieldDef>, field: string) {
  const def = byKey.get(customKey(field));
  if (!def) throw badRule('segments.unknown_field', { key: customKey(field) });
  return CUSTOM_OPS[def.type];
}

/** Adds `cond` to `qb` (a query over contacts). Validates first; never half-applies. */
export function applyCondition(db: Db, qb: QB, cond: Condition, fields: CustomFieldDef[], opts: CompileOptions = {}): QB {
  checkCondition(cond, fields);
  const ctx: Ctx = { db, fields: new Map(fields.map((f) => [f.key, f])), now: opts.now ?? Date.now(), timeZone: opts.timeZone ?? 'UTC' };
  return qb.where((w) => applyNode(ctx, w, cond));
}

/** `select contacts.id from contacts where …`: the audience of a bulk action, an export or a campaign. */
export function contactIdsQuery(db: Db, cond: Condition, fields: CustomFieldDef[], opts: CompileOptions = {}): QB {
  return applyCondition(db, db('contacts').select('contacts.id'), cond, fields, opts);
}

function applyNode(ctx: Ctx, qb: QB, c: Condition): void {
  if (isRule(c)) return applyRule(ctx, qb, c);
  if ('all' in c) {
    for (const kid of c.all) qb.where((w) => applyNode(ctx, w, kid));
    return;
  }
  if (!c.any.length) return void qb.where(false as never);
  qb.where((w) => {
    for (const kid of c.any) w.orWhere((x) => applyNode(ctx, x, kid));
  });
}

// ---- value helpers -------------------------------------------------------

export function str(r: Rule): string {
  if (Array.isArray(r.value) || typeof r.value === 'boolean' || r.value === null || r.value === undefined) throw badRule('segments.bad_value', { field: r.field });
  return String(r.value).trim();
}

export function list(r: Rule): string[] {
  const items = (Array.isArray(r.value) ? r.value : [r.value]).filter((v): v is Scalar => v !== null && v !== undefined && v !== '');
  if (!items.length) throw badRule('segments.bad_value', { field: r.field });
  return items.map((v) => String(v).trim());
}

export function days(r: Rule): number {
  const n = parseNumber(str(r));
  if (n === null || !Number.isInteger(n) || n < 0 || n > 36500) throw badRule('segments.bad_value', { field: r.field });
  return n;
}

export function num(r: Rule, v: Scalar | undefined = Array.isArray(r.value) ? undefined : (r.value ?? undefined)): number {
  const n = v === undefined || typeof v === 'boolean' ? null : parseNumber(v);
  if (n === null) throw badRule('segments.bad_value', { field: r.field });
  return n;
}

/** A day given as 'YYYY-MM-DD' (or DD/MM/YYYY) → [start, end) in epoch ms, UTC. */
export function dayRange(r: Rule, v: Scalar | undefined): [number, number] {
  const d = v === undefined || typeof v === 'boolean' ? null : parseDate(v);
  const ms = d === null ? null : dateToMs(d);
  if (ms === null) throw badRule('segments.bad_value', { field: r.field });
  return [ms, ms + DAY];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A day on the install's wall clock → [start, end) instants. An ISO date-time
 * with a zone (the API's updated_since) is an exact instant: [t, t + 1 ms).
 */
function zonedDay(ctx: Ctx, r: Rule, v: Scalar | undefined): [number, number] {
  if (typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return [Date.parse(v), Date.parse(v) + 1];
  const d = v === undefined || typeof v === 'boolean' ? null : parseDate(v);
  const day = d === null ? null : parseDay(d);
  if (!day) throw badRule('segments.bad_value', { field: r.field });
  return [startOfDay(day, ctx.timeZone), startOfDay(day, ctx.timeZone, 1)];
}

export function pair(r: Rule): [Scalar, Scalar] {
  if (!Array.isArray(r.value) || r.value.length !== 2) throw badRule('segments.bad_value', { field: r.field });
  return [r.value[0]!, r.value[1]!];
}

// ---- fixed fields ----------------------------------------------------------

/** Comparison on a timestamp column (epoch ms) with day granularity for dates. */
export function applyTime(ctx: Ctx, qb: QB, col: string, r: Rule): void {
  const range = (v: Scalar | undefined) => zonedDay(ctx, r, v);
  const one = () => range(Array.isArray(r.value) ? undefined : (r.value ?? undefined));
  switch (r.op) {
    case 'gt': return void qb.where(col, '>=', one()[1]);
    case 'gte': return void qb.where(col, '>=', one()[0]);
    case 'lt': return void qb.where(col, '<', one()[0]);
    case 'lte': return void qb.where(col, '<', one()[1]);
    case 'eq': { const [a, b] = one(); return void qb.where(col, '>=', a).andWhere(col, '<', b); }
    case 'neq': { const [a, b] = one(); return void qb.where((w) => w.where(col, '<', a).orWhere(col, '>=', b).orWhereNull(col)); }
    case 'between': {
      const [x, y] = pair(r);
      return void qb.where(col, '>=', range(x)[0]).andWhere(col, '<', range(y)[1]);
    }
    case 'within_days': return void qb.where(col, '>=', ctx.now - days(r) * DAY);
    case 'before_days': return void qb.where(col, '<', ctx.now - days(r) * DAY);
    case 'is_set': return void qb.whereNotNull(col);
    default: return void qb.whereNull(col);
  }
}

/** eq/neq/in/not_in/is_set on a plain column; "not" forms include NULL. */
export function applyPlain(qb: QB, col: string, r: Rule, norm: (s: string) => string): void {
  switch (r.op) {
    case 'eq': return void qb.where(col, norm(str(r)));
    case 'in': return void qb.whereIn(col, list(r).map(norm));
    case 'neq': return void qb.where((w) => w.whereNot(col, norm(str(r))).orWhereNull(col));
    case 'not_in': return void qb.where((w) => w.whereNotIn(col, list(r).map(norm)).orWhereNull(col));
    case 'is_set': return void qb.whereNotNull(col);
    case 'is_not_set': return void qb.whereNull(col);
    case 'contains': return void whereAnyContains(qb, [col], norm(str(r)));
    case 'starts_with': return void whereStartsWith(qb, col, norm(str(r)));
    default: throw badRule('segments.bad_op', { field: r.field, op: r.op });
  }
}

/** What a search-box query looks for in search_text (digits for a bare number, else the folded text); '' for a phone prefix. */
export function searchFragment(q: string): string {
  if (/^\+[\d\s().-]+$/.test(q) && /\d/.test(q)) return '';
  return /^[\d\s().-]+$/.test(q) ? q.replace(/\D/g, '') : fold(q);
}

function applySearch(ctx: Ctx, qb: QB, r: Rule): void {
  const q = str(r);
  const digits = q.replace(/\D/g, '');
  if (/^\+[\d\s().-]+$/.test(q) && digits.length >= 1) return applyPhonePrefix(qb, digits);
  const fragment = searchFragment(q);
  if (fragment) whereTrigramContains(ctx.db, qb, 'contacts', 'search_text', fragment);
}

/** Phone prefix as a range on the unique phone index: '+52155' ≤ phone < '+52156'. */
function applyPhonePrefix(qb: QB, digits: string): void {
  const lo = `+${digits}`;
  const hi = `+${digits.slice(0, -1)}${String.fromCharCode(digits.charCodeAt(digits.length - 1) + 1)}`;
  qb.where('contacts.phone', '>=', lo).andWhere('contacts.phone', '<', hi);
}

function applyName(ctx: Ctx, qb: QB, r: Rule): void {
  if (r.op === 'contains') {
    // The trigram index narrows the rows; sort_name keeps the match to the name alone.
    whereTrigramContains(ctx.db, qb, 'contacts', 'search_text', fold(str(r)));
    return void whereAnyContains(qb, ['contacts.sort_name'], fold(str(r)));
  }
  // A contact without a name shows (and sorts by) its phone.
  if (r.op === 'is_set') return void whereStartsWith(qb, 'contacts.sort_name', '+', true);
  if (r.op === 'is_not_set') return void whereStartsWith(qb, 'contacts.sort_name', '+');
  applyPlain(qb, 'contacts.sort_name', r, fold);
}

function waKey(r: Rule, v: string): string {
  const p = normalizePhone(v);
  if (!p.ok) throw badRule('segments.bad_value', { field: r.field });
  return p.waKey;
}

function applyPhone(qb: QB, r: Rule): void {
  if (r.op === 'starts_with') {
    const digits = str(r).replace(/\D/g, '');
    if (!digits) throw badRule('segments.bad_value', { field: r.field });
    return applyPhonePrefix(qb, digits);
  }
  // Equality goes through wa_key so every LatAm spelling finds the same contact.
  applyPlain(qb, 'contacts.wa_key', r, (v) => waKey(r, v));
}

function optIn(r: Rule): (v: string) => string {
  return (v) => {
    if (!(OPT_IN_STATES as readonly string[]).includes(v)) throw badRule('segments.bad_value', { field: r.field });
    return v;
  };
}

function tagIds(r: Rule): number[] {
  const ids = list(r).map(Number);
  if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw badRule('segments.bad_value', { field: r.field });
  return ids;
}

function applyTag(ctx: Ctx, qb: QB, r: Rule): void {
  const sub = ctx.db('contact_tags').select('contact_id').whereIn('tag_id', tagIds(r));
  if (r.op === 'has') qb.whereIn('contacts.id', sub);
  else qb.whereNotIn('contacts.id', sub);
}

function applyRule(ctx: Ctx, qb: QB, r: Rule): void {
  if (isCustom(r.field)) return applyCustomRule(ctx, qb, r, ctx.fields.get(customKey(r.field))!);
  const f = r.field as FixedField;
  const id = (s: string) => s;
  switch (f) {
    case 'search': return applySearch(ctx, qb, r);
    case 'name': return applyName(ctx, qb, r);
    case 'phone': return applyPhone(qb, r);
    case 'email': return applyPlain(qb, 'contacts.email', r, (s) => s.toLowerCase());
    case 'language': return applyPlain(qb, 'contacts.language', r, (s) => s.toLowerCase());
    case 'timezone': return applyPlain(qb, 'contacts.timezone', r, id);
    case 'country': return applyPlain(qb, 'contacts.country', r, (s) => s.toUpperCase());
    case 'opt_in': return applyPlain(qb, 'contacts.opt_in', r, optIn(r));
    case 'tag': return applyTag(ctx, qb, r);
    case 'replied_within_days': return void qb.where('contacts.last_inbound_at', '>=', ctx.now - days(r) * DAY);
    case 'never_messaged': return void (bool(r) ? qb.whereNull('contacts.last_outbound_at') : qb.whereNotNull('contacts.last_outbound_at'));
    case 'campaign': case 'any_campaign': return applyCampaignRule(ctx, qb, r);
    default: return applyTime(ctx, qb, `contacts.${f}`, r);
  }
}

export function bool(r: Rule): boolean {
  if (r.value === true || r.value === 'true') return true;
  if (r.value === false || r.value === 'false') return false;
  throw badRule('segments.bad_value', { field: r.field });
}

export { dayStart };
