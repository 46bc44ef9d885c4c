// Custom field rules: `contacts.id [NOT] IN (select contact_id from
// contact_values where field_id = ? and …)`, each backed by the
// (field_id, text_value|num_value, contact_id) indexes. The NOT form makes
// neq/not_in/has_not also match contacts that have no value at all.
import type { Knex } from 'knex';
import { whereAnyContains, whereStartsWith } from '../../db/dialect.js';
import { dateToMs, DAY, matchOption, type CustomFieldDef } from '../custom-values.js';
import { dayOf } from '../../i18n/dates.js';
import { fold } from '../derive.js';
import type { Rule } from './condition.js';
import { badRule, bool, dayRange, days, list, num, pair, str, type Ctx } from './compile.js';

type QB = Knex.QueryBuilder;
type Pred = (w: QB) => void;

function valuesWhere(ctx: Ctx, def: CustomFieldDef, pred: Pred): QB {
  return ctx.db('contact_values').select('contact_id').where('field_id', def.id).andWhere((w) => pred(w));
}

function option(def: CustomFieldDef, r: Rule, v: string): string {
  const o = matchOption(def.options, v);
  if (o === null) throw badRule('segments.unknown_option', { key: def.key, value: v });
  return o;
}

function textPred(def: CustomFieldDef, r: Rule): [Pred, boolean] {
  const col = 'text_value';
  const norm = def.type === 'text' ? (v: string) => fold(v) : (v: string) => option(def, r, v);
  switch (r.op) {
    case 'eq': case 'neq': return [(w) => w.where(col, norm(str(r))), r.op === 'neq'];
    case 'in': case 'not_in': case 'has': case 'has_not':
      return [(w) => w.whereIn(col, list(r).map(norm)), r.op === 'not_in' || r.op === 'has_not'];
    case 'contains': return [(w) => whereAnyContains(w, [col], norm(str(r))), false];
    case 'starts_with': return [(w) => whereStartsWith(w, col, norm(str(r))), false];
    default: throw badRule('segments.bad_op', { field: r.field, op: r.op });
  }
}

function numberPred(r: Rule): [Pred, boolean] {
  const col = 'num_value';
  switch (r.op) {
    case 'eq': case 'neq': return [(w) => w.where(col, num(r)), r.op === 'neq'];
    case 'gt': return [(w) => w.where(col, '>', num(r)), false];
    case 'gte': return [(w) => w.where(col, '>=', num(r)), false];
    case 'lt': return [(w) => w.where(col, '<', num(r)), false];
    case 'lte': return [(w) => w.where(col, '<=', num(r)), false];
    case 'between': {
      const [x, y] = pair(r);
      return [(w) => w.where(col, '>=', num(r, x)).andWhere(col, '<=', num(r, y)), false];
    }
    default: throw badRule('segments.bad_op', { field: r.field, op: r.op });
  }
}

/** Dates compare by whole days: [start, end) of the UTC day. */
function dayPred(r: Rule): [Pred, boolean] {
  const col = 'num_value';
  const one = () => dayRange(r, Array.isArray(r.value) ? undefined : (r.value ?? undefined));
  switch (r.op) {
    case 'eq': case 'neq': { const [a, b] = one(); return [(w) => w.where(col, '>=', a).andWhere(col, '<', b), r.op === 'neq']; }
    case 'gt': return [(w) => w.where(col, '>=', one()[1]), false];
    case 'gte': return [(w) => w.where(col, '>=', one()[0]), false];
    case 'lt': return [(w) => w.where(col, '<', one()[0]), false];
    case 'lte': return [(w) => w.where(col, '<', one()[1]), false];
    case 'between': {
      const [x, y] = pair(r);
      return [(w) => w.where(col, '>=', dayRange(r, x)[0]).andWhere(col, '<', dayRange(r, y)[1]), false];
    }
    default: throw badRule('segments.bad_op', { field: r.field, op: r.op });
  }
}

function datePred(ctx: Ctx, r: Rule): [Pred, boolean] {
  const col = 'num_value';
  // Dates have no time: "today" is the install's calendar day, stored like the values (UTC midnight).
  const today = dateToMs(dayOf(ctx.now, ctx.timeZone))!;
  if (r.op === 'within_days') return [(w) => w.where(col, '>=', today - days(r) * DAY).andWhere(col, '<', today + DAY), false];
  if (r.op === 'before_days') return [(w) => w.where(col, '<', today - days(r) * DAY), false];
  return dayPred(r);
}

function predicate(ctx: Ctx, def: CustomFieldDef, r: Rule): [Pred, boolean] {
  switch (def.type) {
    case 'number': return numberPred(r);
    case 'date': return datePred(ctx, r);
    case 'boolean': return [(w) => w.where('text_value', String(bool(r))), false];
    default: return textPred(def, r);
  }
}

export function applyCustomRule(ctx: Ctx, qb: QB, r: Rule, def: CustomFieldDef): void {
  if (r.op === 'is_set' || r.op === 'is_not_set') {
    const any = ctx.db('contact_values').select('contact_id').where('field_id', def.id);
    return void (r.op === 'is_set' ? qb.whereIn('contacts.id', any) : qb.whereNotIn('contacts.id', any));
  }
  const [pred, negate] = predicate(ctx, def, r);
  const sub = valuesWhere(ctx, def, pred);
  if (negate) qb.whereNotIn('contacts.id', sub);
  else qb.whereIn('contacts.id', sub);
}
