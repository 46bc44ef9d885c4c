// Creates the Knex handle for either engine. SQLite pragmas live here only.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

export type Db = Knex | Knex.Transaction;

// Postgres BIGINT (int8) columns hold epoch milliseconds and ids: parse them as
// numbers (all values we store are far below 2^53).
pg.types.setTypeParser(20, (v: string) => Number(v));

export type DbOptions = { client: 'sqlite' | 'postgres'; sqliteFile: string; databaseUrl?: string; poolMax?: number };

type SqliteConn = { pragma(s: string): unknown; prepare(sql: string, ...rest: unknown[]): unknown };
const STATEMENT_CACHE = 300;

/**
 * Knex prepares every SQLite statement anew (a list page's search query costs
 * more to prepare than to run): keep the most recently used prepared
 * statements of the connection, by SQL text. Safe because better-sqlite3 runs
 * a statement to completion synchronously (nothing here streams), and SQLite
 * re-prepares a statement by itself when the schema changes.
 */
function cacheStatements(conn: SqliteConn): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string, ...rest: unknown[]) => {
    if (rest.length) return prepare(sql, ...rest);
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, stmt);
    return stmt;
  };
}

export function createDb(opts: DbOptions): Knex {
  if (opts.client === 'postgres') {
    return knexFactory({
      client: 'pg',
      connection: opts.databaseUrl,
      pool: { min: 0, max: opts.poolMax ?? 10 },
      acquireConnectionTimeout: 10_000,
    });
  }
  fs.mkdirSync(path.dirname(opts.sqliteFile), { recursive: true, mode: 0o700 });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: opts.sqliteFile },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection is one writer and avoids SQLITE_BUSY.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConn, done: (err: Error | null, conn: unknown) => void) {
        try {
          cacheStatements(conn);
          conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        } catch (e) {
          done(e as Error, conn);
        }
      },
    },
  });
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
