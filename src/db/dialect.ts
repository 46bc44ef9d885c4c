// The only module that branches on the database engine.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { isPostgres, type Db } from './knex.js';

/** Case-insensitive "contains" on a column already stored lower-cased. */
export function likeEscape(fragment: string): string {
  return fragment.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE (lower(col1) LIKE %frag% OR lower(col2) LIKE …): a small-table search. */
export function whereAnyContains(qb: Knex.QueryBuilder, columns: string[], fragment: string): Knex.QueryBuilder {
  const pattern = `%${likeEscape(fragment.toLowerCase())}%`;
  return qb.where((w) => {
    for (const c of columns) w.orWhereRaw(`lower(??) LIKE ? ESCAPE '\\'`, [c, pattern]);
  });
}

/** WHERE column starts with `prefix`, compared as stored (use on lower-cased columns); `not` negates. */
export function whereStartsWith(qb: Knex.QueryBuilder, column: string, prefix: string, not = false): Knex.QueryBuilder {
  return qb.whereRaw(`?? ${not ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\'`, [column, `${likeEscape(prefix)}%`]);
}

export async function ping(db: Db): Promise<void> {
  await db.raw('select 1 as ok');
}

export async function engineVersion(db: Db): Promise<string> {
  if (isPostgres(db)) {
    const r = await db.raw('select version() as v');
    return String(r.rows[0].v);
  }
  const r = await db.raw('select sqlite_version() as v');
  return `SQLite ${r[0].v}`;
}

/** Table names of the live schema (backups enumerate these, never a hand-kept list). */
export async function tableNames(db: Db): Promise<string[]> {
  if (isPostgres(db)) {
    const r = await db.raw("select tablename as name from pg_tables where schemaname = current_schema() order by 1");
    return r.rows.map((x: { name: string }) => x.name);
  }
  // pragma_table_list tells real tables from FTS5 virtual tables and their shadow tables (indexes, not data).
  const r = await db.raw("select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' order by 1");
  return r.map((x: { name: string }) => x.name);
}

// ---- Substring search backed by a trigram index -------------------------
// Postgres: pg_trgm GIN index, queried with LIKE. SQLite: an FTS5 table with
// the trigram tokenizer kept in sync by triggers (so never rebuild `table`
// through knex's SQLite alterTable emulation, which would drop the triggers).

function ftsName(table: string): string {
  return `${table}_search`;
}

export async function createTrigramIndex(db: Knex, table: string, column: string): Promise<void> {
  if (isPostgres(db)) {
    await db.raw('create extension if not exists pg_trgm');
    await db.raw(`create index ?? on ?? using gin (?? gin_trgm_ops)`, [`${table}_${column}_trgm`, table, column]);
    return;
  }
  const fts = ftsName(table);
  await db.raw(`create virtual table ${fts} using fts5(${column}, content='${table}', content_rowid='id', tokenize='trigram')`);
  await db.raw(`create trigger ${fts}_ai after insert on ${table} begin
    insert into ${fts}(rowid, ${column}) values (new.id, new.${column}); end`);
  await db.raw(`create trigger ${fts}_ad after delete on ${table} begin
    insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.id, old.${column}); end`);
  await db.raw(`create trigger ${fts}_au after update of ${column} on ${table} begin
    insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.id, old.${column});
    insert into ${fts}(rowid, ${column}) values (new.id, new.${column}); end`);
}

export async function dropTrigramIndex(db: Knex, table: string, column: string): Promise<void> {
  if (isPostgres(db)) {
    await db.raw('drop index if exists ??', [`${table}_${column}_trgm`]);
    return;
  }
  const fts = ftsName(table);
  for (const suffix of ['ai', 'ad', 'au']) await db.raw(`drop trigger if exists ${fts}_${suffix}`);
  await db.raw(`drop table if exists ${fts}`);
}

/**
 * Up to `limit` ids of rows whose `column` contains `fragment` (3+ characters,
 * normalised), in no particular order, read from the trigram index alone: a
 * probe whose cost is bounded by `limit`, not by the number of matches.
 */
export async function trigramMatchIds(db: Db, table: string, column: string, fragment: string, limit: number): Promise<number[]> {
  if (isPostgres(db)) {
    const rows = await db(table).select('id').whereRaw(`?? LIKE ? ESCAPE '\\'`, [column, `%${likeEscape(fragment)}%`]).limit(limit);
    return rows.map((r: { id: number }) => Number(r.id));
  }
  const fts = ftsName(table);
  const rows = await db.raw(`SELECT rowid AS id FROM ${fts} WHERE ${fts} MATCH ? LIMIT ?`, [`"${fragment.replace(/"/g, '""')}"`, limit]);
  return (rows as { id: number }[]).map((r) => Number(r.id));
}

/**
 * Whether an ordered, LIMITed search narrows through the trigram index first
 * (see src/contacts/list-search.ts). Postgres: yes, else it may misjudge the
 * trigram selectivity and walk the whole sort index, or read and sort every
 * match. SQLite: no, its planner reads the FTS matches first, and a walk of
 * the sort index costs as much per row (each row read from the table) as a
 * match read and sorted, so narrowing does not pay at the sizes it serves.
 */
export function trigramNeedsNarrowing(db: Db): boolean {
  return isPostgres(db);
}

/**
 * An index on `keys` that also carries `include` (Postgres: INCLUDE, payload
 * columns in the leaf pages only; SQLite: trailing key columns), so a walk of
 * the keys' order that tests the payload reads the index alone (an index-only
 * scan) instead of fetching each table row.
 */
export async function createCoveringIndex(db: Knex, table: string, name: string, keys: string[], include: string[]): Promise<void> {
  const list = (cols: string[]) => cols.map(() => '??').join(', ');
  if (isPostgres(db)) {
    await db.raw(`create index ?? on ?? (${list(keys)}) include (${list(include)})`, [name, table, ...keys, ...include]);
    return;
  }
  await db.raw(`create index ?? on ?? (${list([...keys, ...include])})`, [name, table, ...keys, ...include]);
}

/**
 * WHERE `table.column` contains `fragment`, tested row by row (no index): for
 * a query that already walks a bounded window of another index.
 */
export function whereScanContains(qb: Knex.QueryBuilder, table: string, column: string, fragment: string): Knex.QueryBuilder {
  return qb.whereRaw(`??.?? LIKE ? ESCAPE '\\'`, [table, column, `%${likeEscape(fragment)}%`]);
}

/**
 * WHERE `table.column` contains `fragment` (already normalised: lower-case,
 * accent-free). Fragments of 3+ characters use the trigram index; shorter
 * ones fall back to a plain LIKE.
 */
export function whereTrigramContains(db: Db, qb: Knex.QueryBuilder, table: string, column: string, fragment: string): Knex.QueryBuilder {
  const pattern = `%${likeEscape(fragment)}%`;
  if (isPostgres(db) || fragment.length < 3) {
    return qb.whereRaw(`??.?? LIKE ? ESCAPE '\\'`, [table, column, pattern]);
  }
  const fts = ftsName(table);
  const quoted = `"${fragment.replace(/"/g, '""')}"`;
  return qb.whereRaw(`??.id IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`, [table, quoted]);
}

/**
 * Lock the selected rows for a queue claim: `FOR UPDATE SKIP LOCKED` on
 * Postgres, so several workers share a queue without waiting on each other.
 * SQLite has a single writer (the transaction itself is the lock).
 */
export function forUpdateSkipLocked(db: Db, qb: Knex.QueryBuilder): Knex.QueryBuilder {
  return isPostgres(db) ? qb.forUpdate().skipLocked() : qb;
}

/**
 * INSERT INTO `table` (tag column, id column) SELECT <tag>, m.id FROM (<select>) m:
 * copies the ids a query selects into a work table in one statement (one
 * consistent snapshot, no rows through Node), each row tagged with a constant
 * such as a job id. `select` must select one column named `id`.
 */
export async function insertSelectedIds(db: Db, table: string, tag: { column: string; value: number }, column: string, select: Knex.QueryBuilder): Promise<void> {
  await db.raw('insert into ?? (??, ??) select cast(? as integer), m.id from ? as m', [table, tag.column, column, tag.value, select]);
}

// ---- Maintained row counters ----------------------------------------------
// `counters` (name → value) kept exact by triggers, so limits and dashboards
// never run count(*) over a big table. SQLite: row-level triggers. Postgres:
// statement-level triggers over the transition tables, so a batch of 1,000
// rows updates the counter once (and an empty statement not at all).

export async function createRowCounter(db: Knex, table: string, name: string): Promise<void> {
  const n = Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
  await db('counters').insert({ name, value: n }).onConflict('name').merge();
  if (isPostgres(db)) {
    const fn = `${name}_counter`;
    await db.raw(`create or replace function ${fn}_ins() returns trigger language plpgsql as $$
      declare n bigint; begin
        select count(*) into n from new_rows;
        if n > 0 then update counters set value = value + n where name = '${name}'; end if;
        return null; end $$`);
    await db.raw(`create or replace function ${fn}_del() returns trigger language plpgsql as $$
      declare n bigint; begin
        select count(*) into n from old_rows;
        if n > 0 then update counters set value = value - n where name = '${name}'; end if;
        return null; end $$`);
    await db.raw(`create or replace function ${fn}_zero() returns trigger language plpgsql as $$
      begin update counters set value = 0 where name = '${name}'; return null; end $$`);
    await db.raw(`create trigger ${fn}_ai after insert on ${table} referencing new table as new_rows for each statement execute function ${fn}_ins()`);
    await db.raw(`create trigger ${fn}_ad after delete on ${table} referencing old table as old_rows for each statement execute function ${fn}_del()`);
    await db.raw(`create trigger ${fn}_at after truncate on ${table} for each statement execute function ${fn}_zero()`);
    return;
  }
  await db.raw(`create trigger ${name}_counter_ai after insert on ${table} begin
    update counters set value = value + 1 where name = '${name}'; end`);
  await db.raw(`create trigger ${name}_counter_ad after delete on ${table} begin
    update counters set value = value - 1 where name = '${name}'; end`);
}

export async function dropRowCounter(db: Knex, table: string, name: string): Promise<void> {
  const fn = `${name}_counter`;
  if (isPostgres(db)) {
    for (const s of ['ai', 'ad', 'at']) await db.raw(`drop trigger if exists ${fn}_${s} on ${table}`);
    for (const s of ['ins', 'del', 'zero']) await db.raw(`drop function if exists ${fn}_${s}()`);
  } else {
    for (const s of ['ai', 'ad']) await db.raw(`drop trigger if exists ${fn}_${s}`);
  }
  await db('counters').where({ name }).delete();
}

/** `FOR UPDATE` on Postgres (serialises writers that check a counter against a limit); SQLite's single writer already does. */
export function forUpdate(db: Db, qb: Knex.QueryBuilder): Knex.QueryBuilder {
  return isPostgres(db) ? qb.forUpdate() : qb;
}

// ---- Bulk writes of prepared rows (the contact import) ---------------------
// SQLite: multi-row INSERTs through prepared statements cached per connection
// (knex would build and prepare every statement again). Postgres: COPY FROM
// STDIN, straight into the table or, when conflicts must be ignored, into a
// temporary staging table followed by INSERT … SELECT … ON CONFLICT DO NOTHING.
// Both run on the caller's transaction connection, so they commit with it.

/** Rows as arrays, in `columns` order. */
export type RowSet = { table: string; columns: readonly string[]; rows: readonly unknown[][] };

type SqliteStatement = { run(params: unknown[]): unknown; all(params: unknown[]): Array<Record<string, unknown>> };
type SqliteConnection = { prepare(sql: string): SqliteStatement };
type PgClient = { query(q: unknown): unknown };

const SQLITE_ROWS_PER_STATEMENT = 100;
const SQLITE_PARAMS_PER_STATEMENT = 2000;
const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();

async function connectionOf<T>(trx: Db): Promise<T> {
  if (!trx.isTransaction) throw new Error('bulk writes run inside a transaction');
  // A transaction's client hands back the transaction's own connection.
  return (trx.client as { acquireConnection(): Promise<T> }).acquireConnection();
}

/** The cached statement under `key`, prepared from `sql()` the first time. */
function sqliteStatement(conn: SqliteConnection, key: string, sql: () => string): SqliteStatement {
  let cache = sqliteStatements.get(conn);
  if (!cache) sqliteStatements.set(conn, (cache = new Map()));
  let st = cache.get(key);
  if (!st) cache.set(key, (st = conn.prepare(sql())));
  return st;
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function sqliteInsert(trx: Db, r: RowSet, ignore: boolean, returning: readonly string[]): Promise<Array<Record<string, unknown>>> {
  const conn = await connectionOf<SqliteConnection>(trx);
  const width = r.columns.length;
  const per = Math.max(1, Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(SQLITE_PARAMS_PER_STATEMENT / width)));
  const head = `insert into ${quoteId(r.table)} (${r.columns.map(quoteId).join(', ')}) values `;
  const tail = `${ignore ? ' on conflict do nothing' : ''}${returning.length ? ` returning ${returning.map(quoteId).join(', ')}` : ''}`;
  const tuple = `(${r.columns.map(() => '?').join(', ')})`;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < r.rows.length;) {
    // Full statements of `per` rows, then the tail one row at a time: two cached statements per shape.
    const n = r.rows.length - i >= per ? per : 1;
    const st = sqliteStatement(conn, `${n}|${head}|${tail}`, () => head + Array(n).fill(tuple).join(', ') + tail);
    const params = new Array<unknown>(n * width);
    for (let j = 0; j < n; j++) {
      const row = r.rows[i + j]!;
      for (let k = 0; k < width; k++) params[j * width + k] = row[k] ?? null;
    }
    if (returning.length) for (const x of st.all(params)) out.push(x);
    else st.run(params);
    i += n;
  }
  return out;
}

/** One value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

function* copyChunks(rows: readonly unknown[][]): Generator<string> {
  let buf = '';
  for (const row of rows) {
    buf += row.map(copyValue).join('\t') + '\n';
    if (buf.length >= 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function pgCopy(trx: Db, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const client = await connectionOf<PgClient>(trx);
  const stream = client.query(copyFrom(`copy ${quoteId(table)} (${columns.map(quoteId).join(', ')}) from stdin`)) as Writable;
  await pipeline(Readable.from(copyChunks(rows)), stream);
}

async function pgInsert(trx: Db, r: RowSet, ignore: boolean, returning: readonly string[]): Promise<Array<Record<string, unknown>>> {
  if (!ignore && !returning.length) {
    await pgCopy(trx, r.table, r.columns, r.rows);
    return [];
  }
  const cols = r.columns.map(quoteId).join(', ');
  const stage = `cf_stage_${r.table}_${r.columns.length}`;
  await trx.raw(`create temp table if not exists ${quoteId(stage)} on commit delete rows as select ${cols} from ${quoteId(r.table)} with no data`);
  await trx.raw(`truncate ${quoteId(stage)}`);
  await pgCopy(trx, stage, r.columns, r.rows);
  const res = await trx.raw(`insert into ${quoteId(r.table)} (${cols}) select ${cols} from ${quoteId(stage)}` +
    `${ignore ? ' on conflict do nothing' : ''}${returning.length ? ` returning ${returning.map(quoteId).join(', ')}` : ''}`);
  return (res.rows ?? []) as Array<Record<string, unknown>>;
}

/** Insert every row in the open transaction; `ignoreConflicts` skips rows that hit a unique constraint. */
export async function insertRows(trx: Db, r: RowSet, opts: { ignoreConflicts?: boolean } = {}): Promise<void> {
  if (!r.rows.length) return;
  await (isPostgres(trx) ? pgInsert : sqliteInsert)(trx, r, opts.ignoreConflicts ?? false, []);
}

/** Insert the rows whose unique keys are still free; returns `returning` of the rows inserted (conflicting ones are skipped). */
export async function insertNewRows(trx: Db, r: RowSet, returning: readonly string[]): Promise<Array<Record<string, unknown>>> {
  if (!r.rows.length) return [];
  return (isPostgres(trx) ? pgInsert : sqliteInsert)(trx, r, true, returning);
}
