// B8: Excel export. Goal: ≥ 0.7 × the bare exceljs streaming writer on the
// same rows and columns; floor: 100k rows ≤ 3 s, peak RSS ≤ raw writer + 64 MiB.
// Both sides run in their own child process so each peak RSS is its own.
// BENCH_ROWS sets the size (default 100k).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { BENCH_DIR, benchRows, fmt, rawInsertRate, verdict } from './import-bench-lib.js';

type Run = { ms: number; rows: number; rssMiB: number };

function child(args: string[]): Promise<Run> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'export-run.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Run) : reject(new Error(`export child exited ${code}: ${out}`)))));
}

const rows = benchRows(100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-b8-'));
const db = createDb({ client: 'sqlite', sqliteFile: path.join(dir, 'chatflow.sqlite') });
await migrateLatest(db);
await rawInsertRate(db, rows); // the contacts to export, with custom values and tags
await db.destroy();
const raw = await child(['--mode', 'raw', '--rows', String(rows), '--out', path.join(dir, 'raw.xlsx')]);
const ours = await child(['--mode', 'ours', '--data', dir, '--out', path.join(dir, 'ours.xlsx')]);
const ratio = (ours.rows / ours.ms) / (raw.rows / raw.ms);
const secsFor100k = (ours.ms / 1000) * (100_000 / ours.rows);
const ok = ratio >= 0.7 && secsFor100k <= 3 && ours.rssMiB <= raw.rssMiB + 64;
console.log(`B8 export-excel: ratio=${ratio.toFixed(2)} (goal 0.7) abs=${fmt(ours.rows)} rows in ${(ours.ms / 1000).toFixed(2)} s (100k ≈ ${secsFor100k.toFixed(1)} s, goal ≤ 3 s), ` +
  `peak RSS ${ours.rssMiB.toFixed(0)} MiB vs raw writer ${raw.rssMiB.toFixed(0)} MiB (goal ≤ raw + 64); raw exceljs ${fmt(raw.rows)} rows in ${(raw.ms / 1000).toFixed(2)} s, ` +
  `file ${(fs.statSync(path.join(dir, 'ours.xlsx')).size / 1048576).toFixed(1)} MiB ${verdict(ok)}`);
fs.rmSync(dir, { recursive: true, force: true });
