// B7: CSV import on Postgres. Goal: ≥ 0.5 × the raw COPY rate of the same
// rows; floor ≥ 60k rows/s. The baseline streams the already-normalised rows
// (one CSV per table, prepared before the clock starts) through
// pg-copy-streams' `COPY … FROM STDIN` in one transaction, as a bare client
// would. The raw rows are the same ones the import writes: contacts (ids
// assigned up front), custom values, tag links, notes and one activity row
// each. BENCH_ROWS sets the size (default 1M); BENCH_DATABASE_URL /
// TEST_DATABASE_URL the server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { csvLine } from '../src/contacts/import/rejected.js';
import { createTestDatabase } from '../test/db.js';
import { benchFile, benchRows, fmt, rawContacts, runImportChild, verdict } from './import-bench-lib.js';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Table = { name: string; columns: string[]; file: string; out: fs.WriteStream };

/** The raw rows as one CSV file per table, readable by the server (not timed). */
async function copyFiles(dir: string, rows: number): Promise<Table[]> {
  const spec: Array<[string, string[]]> = [
    ['contacts', ['id', 'phone', 'wa_key', 'country', 'first_name', 'last_name', 'display_name', 'sort_name', 'search_text', 'email', 'language', 'timezone', 'custom', 'created_at', 'updated_at']],
    ['tags', ['id', 'name', 'name_key', 'created_at']],
    ['contact_values', ['contact_id', 'field_id', 'text_value']],
    ['contact_tags', ['contact_id', 'tag_id']],
    ['contact_notes', ['contact_id', 'body', 'created_at']],
    ['contact_activity', ['contact_id', 'kind', 'ref', 'summary', 'at']],
  ];
  const tables = spec.map(([name, columns]) => { const file = path.join(dir, `${name}.csv`); return { name, columns, file, out: fs.createWriteStream(file) }; });
  const [contacts, tags, values, links, notes, activity] = tables as [Table, Table, Table, Table, Table, Table];
  const tagIds = new Map<string, number>();
  const fields: Record<string, number> = { city: 1, fecha_de_nacimiento: 2, plan: 3 };
  let id = 0;
  for (const c of rawContacts(rows, Date.now())) {
    id++;
    const r = c.row;
    contacts.out.write(csvLine([id, r.phone, r.wa_key, r.country, r.first_name, r.last_name, r.display_name, r.sort_name, r.search_text, r.email, r.language, r.timezone, r.custom, r.created_at, r.updated_at].map(String), ','));
    for (const [k, v] of c.custom) values.out.write(csvLine([String(id), String(fields[k]), v.toLowerCase()], ','));
    for (const t of c.tags) {
      if (!tagIds.has(t)) {
        tagIds.set(t, tagIds.size + 1);
        tags.out.write(csvLine([String(tagIds.size), t, t, String(r.created_at)], ','));
      }
      links.out.write(csvLine([String(id), String(tagIds.get(t))], ','));
    }
    if (c.notes) notes.out.write(csvLine([String(id), c.notes, String(r.created_at)], ','));
    activity.out.write(csvLine([String(id), 'import', '1', '{"job":1,"action":"created"}', String(r.created_at)], ','));
  }
  await Promise.all(tables.map((t) => new Promise((resolve) => t.out.end(resolve))));
  return tables;
}

async function copyRate(db: Knex, tables: Table[], contacts: number, only?: string): Promise<number> {
  for (const [i, key] of ['city', 'fecha_de_nacimiento', 'plan'].entries()) await db('custom_fields').insert({ id: i + 1, key, label: key, type: 'text', created_at: 1 });
  const started = performance.now();
  await db.transaction(async (trx) => {
    const client = await (trx.client as { acquireConnection(): Promise<{ query(q: unknown): Writable }> }).acquireConnection();
    for (const t of tables.filter((x) => !only || x.name === only)) {
      await pipeline(fs.createReadStream(t.file, { highWaterMark: 256 * 1024 }), client.query(copyFrom(`COPY ${t.name} (${t.columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`)));
    }
  });
  return contacts / ((performance.now() - started) / 1000);
}

async function freshDb(): Promise<{ db: Knex; url: string; drop(): Promise<void> }> {
  const t = await createTestDatabase('postgres');
  const db = createDb({ client: 'postgres', sqliteFile: '', databaseUrl: t.databaseUrl });
  await migrateLatest(db);
  return { db, url: t.databaseUrl!, drop: async () => { await db.destroy(); await t.drop(); } };
}

const rows = benchRows(1_000_000);
const file = await benchFile(rows);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-b7-'));
const tables = await copyFiles(dir, rows);
const contacts = fs.readFileSync(tables[0]!.file, 'utf8').split('\r\n').length - 1;
const how = 'COPY FROM STDIN (pg-copy-streams)';
const a = await freshDb();
const b = await freshDb();
const baseline = await copyRate(a.db, tables, contacts);
const contactsOnly = await copyRate(b.db, tables, contacts, 'contacts');
await a.drop();
await b.drop();
const target = await freshDb();
await target.db.destroy();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-b7-data-'));
const run = await runImportChild(file, dataDir, target.url);
await target.drop();
const rate = run.rows / (run.ms / 1000);
const ratio = rate / baseline;
const ok = ratio >= 0.5 && rate >= 60_000 && run.status === 'done';
console.log(`B7 import-postgres: ratio=${ratio.toFixed(2)} (goal 0.5) abs=${fmt(rate)} rows/s (goal ≥ 60,000), ${fmt(run.rows)} rows in ${(run.ms / 1000).toFixed(1)} s, ` +
  `peak RSS ${run.rssMiB.toFixed(0)} MiB; baseline ${how} of the same rows ${fmt(baseline)} contacts/s (contacts table alone ${fmt(contactsOnly)}/s) ${verdict(ok)}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(path.dirname(file), { recursive: true, force: true });
