// How the list runs a search-box query at any size on Postgres (SQLite's
// planner already reads the FTS table first). A substring search is
// served by the trigram index, but "page 1 of the matches in name order"
// tempts the planner into walking the sort index and testing every row, which
// is fast for common fragments and terrible for rare ones (a full walk of a
// million-row index for one e-mail). So the list first asks the index for at
// most SEARCH_CAP matching ids, with no order:
//   - few matches (the usual case: a person's name, an e-mail, a phone):
//     the page is read from exactly those ids;
//   - many matches (a common fragment such as a first name): the page reads
//     from the materialised matches. That costs in proportion to the matches
//     (a few thousand rows for the commonest names), where a walk of the sort
//     index costs in proportion to 1 / frequency, unbounded when the fragment
//     is rarer than estimated or clustered in the sort order (first names
//     under name order).
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { trigramNeedsNarrowing } from '../db/dialect.js';
import { applyCondition } from './segments/compile.js';
import { isRule, type Condition, type Rule } from './segments/condition.js';

export const SEARCH_CAP = 1000;

export type Narrowing = { kind: 'none' } | { kind: 'ids'; ids: number[]; rule: Rule } | { kind: 'materialise'; rule: Rule };

/** The search-box rule at the top of the tree, unless it is a phone prefix (served by a range on the phone index). */
export function topSearch(cond: Condition): Rule | undefined {
  const kids = isRule(cond) ? [cond] : 'all' in cond ? cond.all : [];
  const rule = kids.find((c): c is Rule => isRule(c) && c.field === 'search');
  if (!rule || typeof rule.value !== 'string' || /^\+[\d\s().-]+$/.test(rule.value.trim())) return undefined;
  return rule;
}

export async function narrowSearch(db: Db, cond: Condition, opts: { now: number; timeZone?: string }, cap = SEARCH_CAP): Promise<Narrowing> {
  const rule = topSearch(cond);
  if (!rule || !trigramNeedsNarrowing(db)) return { kind: 'none' };
  const rows = await applyCondition(db, db('contacts').select('contacts.id'), rule, [], opts).limit(cap + 1);
  if (rows.length <= cap) return { kind: 'ids', ids: rows.map((r: { id: number }) => Number(r.id)), rule };
  return { kind: 'materialise', rule };
}

/** The tree minus the search rule, once the narrowing already applied it. */
export function rest(cond: Condition, n: Narrowing): Condition {
  if (n.kind === 'none') return cond;
  if (cond === n.rule) return { all: [] };
  return 'all' in cond ? { all: cond.all.filter((c) => c !== n.rule) } : cond;
}

/** The query the page is read from: contacts, restricted to the narrowed ids or read from the materialised matches. */
export function source(db: Db, n: Narrowing, columns: string[], opts: { now: number; timeZone?: string }): Knex.QueryBuilder {
  if (n.kind === 'ids') return db('contacts').select(columns).whereIn('contacts.id', n.ids.length ? n.ids : [0]);
  if (n.kind === 'materialise') {
    const matches = applyCondition(db, db('contacts').select('contacts.*'), n.rule, [], opts);
    return db.withMaterialized('matches', matches).select(columns).from('matches as contacts');
  }
  return db('contacts').select(columns);
}
