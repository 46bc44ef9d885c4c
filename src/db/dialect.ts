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
  const r = await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1");
  return r.map((x: { name: string }) => x.name);
}
