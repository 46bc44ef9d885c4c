// Seeds a migrated database with N generated LatAm contacts for the list and
// search benchmarks (B9-B11): rows from bench/contacts-generator.ts (word
// lists in bench/contacts-data.ts), derived columns from
// src/contacts/derive.ts exactly as the product computes them, inserted in
// batches of 1,000 rows per transaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.js';
import { createTrigramIndex, dropTrigramIndex } from '../src/db/dialect.js';
import { migrateLatest } from '../src/db/migrate.js';
import { contactDerivedColumns } from '../src/contacts/derive.js';
import { DEFAULT_COUNTRY, generateContacts } from './contacts-generator.js';

export const BATCH = 1000;
const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 24, 12);

export type BenchDb = { db: Knex; engine: 'sqlite' | 'postgres'; dir: string; url?: string; drop(): Promise<void> };

/** A fresh, migrated database: a temp SQLite file, or a new Postgres database on BENCH_DATABASE_URL's server. */
export async function freshDb(engine: 'sqlite' | 'postgres', label: string): Promise<BenchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cf-bench-${label}-`));
  if (engine === 'sqlite') {
    const db = createDb({ client: 'sqlite', sqliteFile: path.join(dir, 'bench.sqlite') });
    await migrateLatest(db);
    return { db, engine, dir, drop: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cf_bench_${label}`;
  const admin = createDb({ client: 'postgres', sqliteFile: '', databaseUrl: adminUrl, poolMax: 1 });
  await admin.raw(`drop database if exists ${name}`);
  await admin.raw(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb({ client: 'postgres', sqliteFile: '', databaseUrl: url.toString(), poolMax: 10 });
  await migrateLatest(db);
  return {
    db, engine, dir, url: url.toString(),
    async drop() {
      await db.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows for one batch; skips bad phones and repeated identities as the importer would. */
function rowsOf(batch: ReturnType<typeof generateContacts> extends Iterable<infer T> ? T[] : never, seen: Set<string>, start: number) {
  const rows: Record<string, unknown>[] = [];
  batch.forEach((g, k) => {
    const d = contactDerivedColumns({ phone: g.phone, first_name: g.firstName, last_name: g.lastName, email: g.bad === 'email' ? null : g.email },
      { defaultCountry: DEFAULT_COUNTRY, fallbackLanguage: 'es', fallbackTimezone: 'America/Mexico_City' });
    if (!d.ok || seen.has(d.columns.wa_key)) return;
    seen.add(d.columns.wa_key);
    const i = start + k;
    const created = NOW - (i % 720) * DAY - i;
    rows.push({
      ...d.columns, opt_in: i % 3 === 0 ? 'opted_in' : 'unknown', custom: '{}', created_at: created, updated_at: created,
      last_inbound_at: i % 4 === 0 ? NOW - (i % 90) * DAY : null, last_outbound_at: i % 5 === 0 ? NOW - (i % 60) * DAY : null,
    });
  });
  return rows;
}

/** Inserts `count` generated contacts; returns how many rows went in and how long it took. */
export async function seedContacts(b: BenchDb, count: number, seed = 7): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  // Postgres: build the trigram index once after the load instead of row by row.
  if (b.engine === 'postgres') await dropTrigramIndex(b.db, 'contacts', 'search_text');
  const seen = new Set<string>();
  let batch: Parameters<typeof rowsOf>[0] = [];
  let rows = 0;
  let i = 0;
  const flush = async () => {
    const data = rowsOf(batch, seen, i - batch.length);
    batch = [];
    if (!data.length) return;
    // knex writes a multi-row insert on SQLite as one compound SELECT, capped at 500 terms.
    await b.db.transaction(async (trx) => {
      for (let k = 0; k < data.length; k += 500) await trx('contacts').insert(data.slice(k, k + 500));
    });
    rows += data.length;
  };
  for (const g of generateContacts(count, { seed, badRatio: 0.005 })) {
    batch.push(g);
    i++;
    if (batch.length === BATCH) await flush();
  }
  await flush();
  if (b.engine === 'postgres') {
    await createTrigramIndex(b.db, 'contacts', 'search_text');
    // Bench only: fresh statistics and the visibility map (index-only scans skip the table only for pages
    // marked all-visible), as autovacuum leaves them after a real import (PG 13+ vacuums after inserts too).
    await b.db.raw('vacuum analyze contacts');
  } else {
    await b.db.raw('analyze'); // bench only
  }
  return { rows, ms: performance.now() - t0 };
}

export function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0;
}

export function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

/**
 * Seeds in a child process and reopens the database here, so measurements
 * run in a process whose heap and caches are not those of the bulk load.
 */
export async function seededDb(engine: 'sqlite' | 'postgres', count: number, label: string): Promise<BenchDb & { rows: number; seedMs: number }> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), engine, String(count), label],
    { encoding: 'utf8', timeout: 60 * 60_000, maxBuffer: 1 << 20 });
  const info = JSON.parse(stdout.trim().split('\n').pop()!) as { dir: string; url?: string; rows: number; ms: number };
  const db = engine === 'sqlite'
    ? createDb({ client: 'sqlite', sqliteFile: path.join(info.dir, 'bench.sqlite') })
    : createDb({ client: 'postgres', sqliteFile: '', databaseUrl: info.url, poolMax: 10 });
  return {
    db, engine, dir: info.dir, url: info.url, rows: info.rows, seedMs: info.ms,
    async drop() {
      await db.destroy();
      if (engine === 'postgres') {
        const admin = createDb({ client: 'postgres', sqliteFile: '', databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', poolMax: 1 });
        await admin.raw(`drop database if exists ${new URL(info.url!).pathname.slice(1)} with (force)`);
        await admin.destroy();
      }
      fs.rmSync(info.dir, { recursive: true, force: true });
    },
  };
}

// Child mode: `node --import tsx bench/contacts-seed.ts <engine> <count> <label>` prints {dir, url, rows, ms}.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [engine, count, label] = process.argv.slice(2) as ['sqlite' | 'postgres', string, string];
  const b = await freshDb(engine, label);
  const r = await seedContacts(b, Number(count));
  await b.db.destroy();
  console.log(JSON.stringify({ dir: b.dir, url: b.url, rows: r.rows, ms: r.ms }));
}
