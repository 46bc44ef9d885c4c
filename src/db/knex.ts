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
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
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
