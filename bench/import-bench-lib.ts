// Shared pieces of the import benchmarks (B6 SQLite, B7 Postgres): the test
// file, the raw baselines and the child process that runs the real import.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import type { Knex } from 'knex';
import { DEFAULT_COUNTRY, generateContacts, writeContactsCsv } from './contacts-generator.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export function benchRows(fallback: number): number {
  const n = Number(process.env.BENCH_ROWS);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export async function benchFile(rows: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-bench-'));
  const file = path.join(dir, `contacts-${rows}.csv`);
  await writeContactsCsv(file, { rows, seed: 42, badRatio: 0.01 });
  return file;
}

/** Raw parse: csv-parse over the same file, same options, counting records. */
export async function rawParseRate(file: string): Promise<number> {
  const started = performance.now();
  let n = 0;
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true, relax_quotes: true, relax_column_count: true, from_line: 2 }));
  for await (const _ of parser) n++;
  return n / ((performance.now() - started) / 1000);
}

export type RawContact = { row: Record<string, unknown>; tags: string[]; custom: Array<[string, string]>; notes: string };

/** The contacts the file stands for, already normalised: what a raw insert writes. */
export function* rawContacts(rows: number, now: number): Generator<RawContact> {
  const seen = new Set<string>();
  for (const c of generateContacts(rows, { seed: 42, badRatio: 0.01 })) {
    if (!c.e164 || !c.waKey || c.bad || seen.has(c.waKey)) continue;
    seen.add(c.waKey);
    const name = `${c.firstName} ${c.lastName}`;
    const custom: Array<[string, string]> = [['city', c.custom.city], ['fecha_de_nacimiento', c.custom.birthday], ['plan', c.custom.plan]];
    yield {
      row: {
        phone: c.e164, wa_key: c.waKey, country: c.country, first_name: c.firstName, last_name: c.lastName, display_name: name,
        sort_name: name.toLowerCase(), search_text: `${name} ${c.email} ${c.waKey}`.toLowerCase(), email: c.email, language: 'es',
        timezone: 'America/Mexico_City', custom: JSON.stringify(Object.fromEntries(custom)), created_at: now, updated_at: now,
      },
      tags: c.tags, custom, notes: c.notes,
    };
  }
}

const chunked = async (trx: Knex, table: string, rows: Record<string, unknown>[]) => {
  for (let i = 0; i < rows.length; i += 500) await trx(table).insert(rows.slice(i, i + 500));
};

async function lookups(db: Knex, now: number): Promise<{ fields: Map<string, number>; tags: Map<string, number> }> {
  const fields = new Map<string, number>();
  for (const [i, key] of ['city', 'fecha_de_nacimiento', 'plan'].entries()) {
    const [r] = await db('custom_fields').insert({ key, label: key, type: 'text', position: i, created_at: now }, ['id']);
    fields.set(key, Number(r.id));
  }
  return { fields, tags: new Map() };
}

/**
 * Raw batched insert of the same rows the import writes (contacts, their
 * custom values, tag links, notes and one activity row each), 2,000 contacts
 * per transaction, 500 rows per statement, with no parsing, validation or
 * dedupe. `contactsOnly` writes the contacts table alone, for reference.
 */
export async function rawInsertRate(db: Knex, rows: number, contactsOnly = false): Promise<number> {
  const now = Date.now();
  const { fields, tags } = await lookups(db, now);
  const started = performance.now();
  let n = 0;
  let batch: RawContact[] = [];
  const flush = async () => {
    await db.transaction(async (trx) => {
      await chunked(trx, 'contacts', batch.map((b) => b.row));
      if (contactsOnly) return;
      const ids = new Map<string, number>();
      for (let i = 0; i < batch.length; i += 500) {
        for (const r of await trx('contacts').select('id', 'wa_key').whereIn('wa_key', batch.slice(i, i + 500).map((b) => b.row.wa_key as string))) ids.set(r.wa_key, Number(r.id));
      }
      const names = [...new Set(batch.flatMap((b) => b.tags))].filter((t) => !tags.has(t));
      for (const t of names) tags.set(t, Number((await trx('tags').insert({ name: t, name_key: t, created_at: now }, ['id']))[0].id));
      const id = (b: RawContact) => ids.get(b.row.wa_key as string)!;
      await chunked(trx, 'contact_values', batch.flatMap((b) => b.custom.map(([k, v]) => ({ contact_id: id(b), field_id: fields.get(k), text_value: v.toLowerCase(), num_value: null }))));
      await chunked(trx, 'contact_tags', batch.flatMap((b) => b.tags.map((t) => ({ contact_id: id(b), tag_id: tags.get(t) }))));
      await chunked(trx, 'contact_notes', batch.filter((b) => b.notes).map((b) => ({ contact_id: id(b), body: b.notes, created_at: now })));
      await chunked(trx, 'contact_activity', batch.map((b) => ({ contact_id: id(b), kind: 'import', ref: '1', summary: '{"job":1,"action":"created"}', at: now })));
    });
    n += batch.length;
    batch = [];
  };
  for (const r of rawContacts(rows, now)) {
    batch.push(r);
    if (batch.length >= 2000) await flush();
  }
  if (batch.length) await flush();
  return n / ((performance.now() - started) / 1000);
}

export type ImportRun = { ms: number; rows: number; inserted: number; rejected: number; status: string; rssMiB: number };

/** The real import in a child process (so its peak RSS is its own). */
export function runImportChild(file: string, dataDir: string, databaseUrl?: string): Promise<ImportRun> {
  const args = ['--import', 'tsx', path.join(BENCH_DIR, 'import-run.ts'), '--file', file, '--data', dataDir, ...(databaseUrl ? ['--db', databaseUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => {
    const line = out.trim().split('\n').pop() ?? '';
    try {
      if (code !== 0) throw new Error(`exit ${code}`);
      resolve(JSON.parse(line) as ImportRun);
    } catch (err) {
      reject(new Error(`import child failed (${(err as Error).message}): ${out}`));
    }
  }));
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export { DEFAULT_COUNTRY };
