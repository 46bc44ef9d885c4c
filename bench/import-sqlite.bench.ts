// B6: CSV import on SQLite. Goal: ≥ 0.7 × H, H = 1/(1/raw_parse_rate +
// 1/raw_batched_insert_rate), measured in this run on the same rows; floor:
// 1M rows ≤ 20 s with peak RSS ≤ 150 MiB. BENCH_ROWS sets the size (1M).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { benchFile, benchRows, fmt, rawInsertRate, rawParseRate, runImportChild, verdict } from './import-bench-lib.js';

const rows = benchRows(1_000_000);
const file = await benchFile(rows);
const parseRate = await rawParseRate(file);
const rawDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-b6-raw-'));
const fresh = async (name: string) => {
  const db = createDb({ client: 'sqlite', sqliteFile: path.join(rawDir, `${name}.sqlite`) });
  await migrateLatest(db);
  return db;
};
const [full, bare] = [await fresh('full'), await fresh('bare')];
const insertRate = await rawInsertRate(full, rows);
const contactsOnlyRate = await rawInsertRate(bare, rows, true);
await full.destroy();
await bare.destroy();
const h = 1 / (1 / parseRate + 1 / insertRate);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-b6-'));
const run = await runImportChild(file, dataDir);
const rate = run.rows / (run.ms / 1000);
const ratio = rate / h;
const secsFor1M = (run.ms / 1000) * (1_000_000 / run.rows);
const ok = ratio >= 0.7 && secsFor1M <= 20 && run.rssMiB <= 150 && run.status === 'done';
console.log(`B6 import-sqlite: ratio=${ratio.toFixed(2)} (goal 0.7) abs=${fmt(rate)} rows/s, ${fmt(run.rows)} rows in ${(run.ms / 1000).toFixed(1)} s ` +
  `(1M ≈ ${secsFor1M.toFixed(0)} s, goal ≤ 20 s), peak RSS ${run.rssMiB.toFixed(0)} MiB (goal ≤ 150); H=${fmt(h)} rows/s ` +
  `(raw parse ${fmt(parseRate)}/s, raw batched insert of the same rows ${fmt(insertRate)}/s; contacts table alone ${fmt(contactsOnlyRate)}/s) ${verdict(ok)}`);
fs.rmSync(path.dirname(file), { recursive: true, force: true });
fs.rmSync(rawDir, { recursive: true, force: true });
fs.rmSync(dataDir, { recursive: true, force: true });
