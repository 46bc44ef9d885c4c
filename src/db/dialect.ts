// The only module that branches on the database engine.
import type { Knex } from 'knex';
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
 * Whether a LIMITed, ordered query with a trigram filter may be planned as a
 * walk of the sort index (Postgres does when it misjudges the trigram
 * selectivity; SQLite always reads the FTS table first). Callers then narrow
 * through the trigram index before ordering.
 */
export function trigramNeedsNarrowing(db: Db): boolean {
  return isPostgres(db);
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
