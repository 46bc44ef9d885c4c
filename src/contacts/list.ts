// The contacts list: a keyset page over any Condition, in one of the sortable
// orders, never OFFSET. The cursor names the last row shown (its sort key and
// id) plus the order it belongs to, so a cursor from another order is ignored
// rather than misread.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { Invalid } from '../errors.js';
import type { CustomFieldDef } from './custom-values.js';
import { NULLABLE_SORTS, SORT_COLUMNS, sortKeyOf, whereAfterCursor, type ContactRow, type Dir, type SortName } from './queries.js';
import { applyCondition } from './segments/compile.js';
import { narrowSearch, rest, source, keyWalk, type Narrowing } from './list-search.js';
import type { Condition } from './segments/condition.js';
import { tagsOfContacts, type Tag } from './tags-queries.js';

export type ListRow = {
  id: number; phone: string; displayName: string; email: string | null; optIn: string;
  createdAt: number; updatedAt: number; lastInboundAt: number | null; tags: Tag[];
};

export type ListPage = { rows: ListRow[]; next: string | null };

type Cursor = { sort: SortName; dir: Dir; key: string | number | null; id: number };

const COLUMNS = ['contacts.id', 'contacts.phone', 'contacts.display_name', 'contacts.sort_name', 'contacts.email', 'contacts.opt_in',
  'contacts.created_at', 'contacts.updated_at', 'contacts.last_inbound_at'];

export function encodeListCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.dir, c.key, c.id]), 'utf8').toString('base64url');
}

/** A cursor we did not issue is a field error on `after`/`cursor`, never a 500. */
export function decodeListCursor(s: string, field = 'after'): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  const ok = Array.isArray(v) && v.length === 4 && v[0] in SORT_COLUMNS && (v[1] === 'asc' || v[1] === 'desc')
    && (v[2] === null || typeof v[2] === 'string' || typeof v[2] === 'number') && Number.isSafeInteger(v[3]);
  if (!ok) throw new Invalid({ [field]: { code: 'api.cursor_invalid' } });
  const [sort, dir, key, id] = v as [SortName, Dir, string | number | null, number];
  return { sort, dir, key, id };
}

export type PageOptions = {
  sort: SortName; dir: Dir; after?: string; limit: number; now: number; timeZone?: string; cursorField?: string; full?: boolean;
  /** Tests: force the search probe's size and the walked window (see list-search.ts). */
  searchCap?: number; searchWindow?: number;
};

type QB = Knex.QueryBuilder;

function base(db: Db, cond: Condition, fields: CustomFieldDef[], o: PageOptions, n: Narrowing, window?: QB) {
  const opts = { now: o.now, timeZone: o.timeZone };
  return applyCondition(db, source(db, n, o.full ? ['contacts.*'] : COLUMNS, opts, window), rest(cond, n), fields, opts);
}

/** One ordered stretch of the list: its where and order by. */
type Stretch = (q: QB) => QB;

/**
 * Up to `need` rows of one stretch. A walk reads them from the stretch's
 * first `window` rows, each tested for the fragment: exact when those rows
 * hold them all; otherwise (the matches cluster further on, or the stretch
 * ends) the stretch is read through the walk's fallback. A walk with no
 * other rule reads only the window's keys and search_text (on Postgres the
 * name order's covering index, migration 0016: an index-only scan), then the
 * page's rows by id; with other rules each walked row is read whole.
 */
async function stretch(db: Db, cond: Condition, fields: CustomFieldDef[], o: PageOptions, n: Narrowing, shape: Stretch, need: number): Promise<ContactRow[]> {
  if (n.kind !== 'walk') return (await shape(base(db, cond, fields, o, n)).limit(need)) as ContactRow[];
  const others = rest(cond, n);
  if ('all' in others && !others.all.length) {
    const walk = keyWalk(n, SORT_COLUMNS[o.sort]);
    const window = shape(db('contacts').select(walk.columns)).limit(walk.window);
    const opts = { now: o.now, timeZone: o.timeZone };
    const ids = ((await shape(source(db, n, ['contacts.id'], opts, window)).limit(need)) as { id: number }[]).map((r) => Number(r.id));
    if (ids.length >= need) return rowsInOrder(db, ids, o.full ? ['contacts.*'] : COLUMNS);
  } else {
    const window = shape(db('contacts').select('contacts.*')).limit(n.window);
    const rows = (await shape(base(db, cond, fields, o, n, window)).limit(need)) as ContactRow[];
    if (rows.length >= need) return rows;
  }
  return (await shape(base(db, cond, fields, o, n.fallback)).limit(need)) as ContactRow[];
}

/** The rows of `ids`, in the order of `ids`. */
async function rowsInOrder(db: Db, ids: number[], columns: string[]): Promise<ContactRow[]> {
  const rows = (await db('contacts').select(columns).whereIn('contacts.id', ids)) as ContactRow[];
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.map((id) => byId.get(id)).filter((r): r is ContactRow => r !== undefined);
}

/** One page of rows in (sort, id) order; a nullable sort lists rows with a value first, then the rest by id. */
export async function pageOfContactRows(db: Db, cond: Condition, fields: CustomFieldDef[], o: PageOptions): Promise<{ rows: ContactRow[]; next: string | null }> {
  let cursor = o.after ? decodeListCursor(o.after, o.cursorField) : undefined;
  if (cursor && (cursor.sort !== o.sort || cursor.dir !== o.dir)) cursor = undefined;
  const col = SORT_COLUMNS[o.sort];
  const op = o.dir === 'asc' ? '>' : '<';
  const n = await narrowSearch(db, cond, { now: o.now, timeZone: o.timeZone, page: o.limit + 1, cap: o.searchCap, window: o.searchWindow });
  let rows: ContactRow[] = [];
  if (n.kind === 'ids' && !n.ids.length) return { rows, next: null };
  if (!cursor || cursor.key !== null) {
    rows = await stretch(db, cond, fields, o, n, (q) => {
      q.whereNotNull(col).orderBy([{ column: col, order: o.dir }, { column: 'contacts.id', order: o.dir }]);
      if (cursor) whereAfterCursor(q, col, o.dir, { key: cursor.key!, id: cursor.id });
      return q;
    }, o.limit + 1);
  }
  if (rows.length <= o.limit && NULLABLE_SORTS.has(o.sort)) {
    rows = rows.concat(await stretch(db, cond, fields, o, n, (q) => {
      q.whereNull(col).orderBy('contacts.id', o.dir);
      if (cursor?.key === null) q.where('contacts.id', op, cursor.id);
      return q;
    }, o.limit + 1 - rows.length));
  }
  const more = rows.length > o.limit;
  const page = rows.slice(0, o.limit);
  const last = page[page.length - 1];
  const next = more && last ? encodeListCursor({ sort: o.sort, dir: o.dir, key: sortKeyOf(last, o.sort), id: Number(last.id) }) : null;
  return { rows: page, next };
}

/** The web list's page: light columns plus each row's tags. */
export async function pageOfContacts(db: Db, cond: Condition, fields: CustomFieldDef[], o: PageOptions): Promise<ListPage> {
  const { rows, next } = await pageOfContactRows(db, cond, fields, o);
  return { rows: await withTags(db, rows), next };
}

async function withTags(db: Db, rows: ContactRow[]): Promise<ListRow[]> {
  const tags = await tagsOfContacts(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => ({
    id: Number(r.id), phone: String(r.phone), displayName: String(r.display_name), email: (r.email as string | null) ?? null,
    optIn: String(r.opt_in), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
    lastInboundAt: r.last_inbound_at === null ? null : Number(r.last_inbound_at), tags: tags.get(Number(r.id)) ?? [],
  }));
}
