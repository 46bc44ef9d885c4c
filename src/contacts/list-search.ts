// How the list runs a search-box query at any size on Postgres (SQLite's
// planner reads the FTS matches first, which measures as cheap as any walk at
// the sizes SQLite serves: see trigramNeedsNarrowing). A substring search is
// served by the pg_trgm index, but "page 1 of the matches in name order" read that way costs
// in proportion to all the matches (each one read, then sorted: tens of
// thousands of rows for a common surname at a million contacts). So the list
// first asks the trigram index for at most SEARCH_CAP matching ids, unordered
// (a probe whose cost is bounded by the cap):
//   - few matches (a person's name, an e-mail, a phone): the page is read
//     from exactly those ids;
//   - many matches (a common fragment): the page walks the sort index from the
//     cursor, testing each row for the fragment, and stops at the page. The
//     matches are then at least cap / contacts of the rows, so a walk of a
//     few pages' worth of rows at that density (the window) finds the page
//     when the matches are spread through the sort order, whatever their
//     number (the window is a subquery: ordered by the index, LIMITed, so
//     the walk stops at the page). The result is exact either way: a window that
//     yields the page yields its first rows in order; one that does not (the
//     matches cluster elsewhere in the order: a first name under name order)
//     falls back to reading all the matches.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { trigramMatchIds, trigramNeedsNarrowing, whereScanContains } from '../db/dialect.js';
import { applyCondition, searchFragment } from './segments/compile.js';
import { isRule, type Condition, type Rule } from './segments/condition.js';

/**
 * The probe's size. It is read from the heap row by row, so it is a fixed
 * number (a probe growing with the table would make every common search
 * slower at scale); above it, the walk below costs ~ page × contacts / matches.
 */
export const SEARCH_CAP = 1000;
/** How many pages' worth of expected matches the walked window holds. */
const WINDOW_PAGES = 4;
/** A walk longer than this costs more than reading the matches of a fragment that dense. */
const WINDOW_MAX = 8000;
/**
 * The same bound for a walk of the index alone (name order, no other rule:
 * the covering index of migration 0016), which reads ~5 index entries in the
 * time of one table row: far enough for a surname whose matches are spread
 * unevenly through the name order (at 1M contacts the 51st match of a 2%
 * surname sits 8k-19k entries in), still ~10 ms when it misses.
 */
const COVERED_WINDOW_MAX = 40_000;
/** Sort columns whose index carries search_text (migration 0016). */
const COVERED_SORTS: ReadonlySet<string> = new Set(['contacts.sort_name']);

export type Narrowing =
  | { kind: 'none' }
  | { kind: 'ids'; ids: number[]; rule: Rule }
  | { kind: 'materialise'; rule: Rule }
  | { kind: 'walk'; rule: Rule; fragment: string; window: number; coveredWindow: number; fallback: Narrowing };

/** The search-box rule at the top of the tree, unless it is a phone prefix (served by a range on the phone index). */
export function topSearch(cond: Condition): Rule | undefined {
  const kids = isRule(cond) ? [cond] : 'all' in cond ? cond.all : [];
  const rule = kids.find((c): c is Rule => isRule(c) && c.field === 'search');
  if (!rule || typeof rule.value !== 'string' || /^\+[\d\s().-]+$/.test(rule.value.trim())) return undefined;
  return rule;
}

export type NarrowOptions = { now: number; timeZone?: string; page: number; cap?: number; window?: number };

export async function narrowSearch(db: Db, cond: Condition, o: NarrowOptions): Promise<Narrowing> {
  const rule = topSearch(cond);
  const fragment = rule ? searchFragment(String(rule.value)) : '';
  if (!rule || fragment.length < 3 || !trigramNeedsNarrowing(db)) return { kind: 'none' };
  // max(id) is one step down the primary key: an upper bound of the row count, close enough to size the window.
  const top = Number((await db('contacts').max({ m: 'id' }).first())?.m ?? 0);
  const cap = o.cap ?? SEARCH_CAP;
  const ids = await trigramMatchIds(db, 'contacts', 'search_text', fragment, cap + 1);
  if (ids.length <= cap) return { kind: 'ids', ids, rule };
  const want = Math.ceil((WINDOW_PAGES * o.page * Math.max(top, cap)) / cap);
  const window = o.window ?? Math.min(WINDOW_MAX, want);
  const coveredWindow = o.window ?? Math.min(COVERED_WINDOW_MAX, want);
  return { kind: 'walk', rule, fragment, window, coveredWindow, fallback: { kind: 'materialise', rule } };
}

/**
 * A walk with no other rule needing the whole row: its window reads the
 * order's keys and the tested column only. Under name order they are all in
 * the covering index of migration 0016, so Postgres walks the index alone,
 * and so farther.
 */
export function keyWalk(n: Extract<Narrowing, { kind: 'walk' }>, sortColumn: string): { columns: string[]; window: number } {
  return { columns: ['contacts.id', sortColumn, 'contacts.search_text'], window: COVERED_SORTS.has(sortColumn) ? n.coveredWindow : n.window };
}

/** The tree minus the search rule, once the narrowing already applied it. */
export function rest(cond: Condition, n: Narrowing): Condition {
  if (n.kind === 'none') return cond;
  if (cond === n.rule) return { all: [] };
  return 'all' in cond ? { all: cond.all.filter((c) => c !== n.rule) } : cond;
}

/**
 * The query the page is read from: contacts, restricted to the narrowed ids,
 * read from the materialised matches, or (walk) the `window` query (the
 * stretch's first rows in its order) with each row tested for the fragment.
 */
export function source(db: Db, n: Narrowing, columns: string[], opts: { now: number; timeZone?: string }, window?: Knex.QueryBuilder): Knex.QueryBuilder {
  if (n.kind === 'ids') return db('contacts').select(columns).whereIn('contacts.id', n.ids.length ? n.ids : [0]);
  if (n.kind === 'materialise') {
    const matches = applyCondition(db, db('contacts').select('contacts.*'), n.rule, [], opts);
    return db.withMaterialized('matches', matches).select(columns).from('matches as contacts');
  }
  if (n.kind === 'walk') {
    if (!window) throw new Error('a walk reads from a window');
    return whereScanContains(db.from(window.as('contacts')).select(columns), 'contacts', 'search_text', n.fragment);
  }
  return db('contacts').select(columns);
}
