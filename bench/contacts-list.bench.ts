// B9: the contacts list page (logged in, search box filled, 50 rows) under 50
// concurrent users, against an Express hello-world measured in the same run
// on the same machine. Both servers run in this process; the bounded load
// loop (bench/http-load.ts, undici keep-alive) runs in a child process.
// Prints `B9 …: ratio=… (goal ≥ 0.15) abs=p95 … (floor ≤ 50 ms) PASS|MISS`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging/logger.js';
import { createApp } from '../src/web/app.js';
import { completeSetup } from '../test/factories.js';
import { HttpClient } from '../test/http.js';
import { fmt, seedContacts } from './contacts-seed.js';
import type { LoadResult } from './http-load.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 25_000);
const USERS = 50;
const MAX = Number(process.env.BENCH_REQUESTS ?? 4000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const FRAGMENTS = ['munoz', 'garcia', 'pena', 'lopez', 'maria', 'jose', 'conceicao', 'ramirez', 'sofia', 'diaz', 'silva', 'gonzalez',
  'ruiz', 'ortiz', 'nunez', 'perez', 'lucia', 'andres', 'ines', 'tomas'];

function listen(handler: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** Async on purpose: the servers live in this process and must keep answering while the child loads them. */
async function load(base: string, paths: string[], headers: Record<string, string>, max = MAX): Promise<LoadResult> {
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'http-load.ts'),
    JSON.stringify({ base, paths, concurrency: USERS, max, seconds: SECONDS, headers })], { encoding: 'utf8', timeout: (SECONDS + 60) * 1000 });
  return JSON.parse(out) as LoadResult;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-bench-b9-'));
  const config = loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CHATFLOW_TIMEZONE: 'America/Mexico_City' });
  const deps = await boot(config, { log: createLogger('warn') });
  try {
    const seeded = await seedContacts({ db: deps.db, engine: 'sqlite', dir: dataDir, drop: async () => {} }, CONTACTS);
    const { app } = createApp(deps);
    const chatflow = await listen(app);
    const hello = express();
    hello.get('/', (_req, res) => { res.send('Hello world'); });
    const bare = await listen(hello);
    const client = new HttpClient(chatflow.base);
    await completeSetup(client);
    const cookie = `chatflow.sid=${client.cookie('chatflow.sid')}`;
    const paths = FRAGMENTS.map((q) => `/contacts?q=${q}`);
    const page = await client.get(paths[0]!);
    const rows = (page.text.match(/<a href="\/contacts\/\d+"><strong>/g) ?? []).length;
    if (page.status !== 200 || rows !== 50) throw new Error(`list page: status ${page.status}, ${rows} rows`);
    await load(bare.base, ['/'], {}, 1000);
    const base = await load(bare.base, ['/'], {});
    await load(chatflow.base, paths, { cookie }, 500);
    const list = await load(chatflow.base, paths, { cookie });
    const ratio = list.rps / base.rps;
    const ok = ratio >= 0.15 && list.p95 <= 50 && list.errors === 0;
    console.log(`# ${seeded.rows} contacts (SQLite), ${USERS} users; hello-world ${base.rps.toFixed(0)} req/s p95 ${fmt(base.p95)} ms; list ${list.requests} requests, ${list.errors} errors, p50 ${fmt(list.p50)} ms`);
    console.log(`B9 contacts list page (search, 50 rows, logged in): ratio=${ratio.toFixed(3)} (goal ≥ 0.15) abs=p95 ${fmt(list.p95)} ms at ${USERS} users (floor ≤ 50 ms), ${list.rps.toFixed(0)} req/s vs hello-world ${base.rps.toFixed(0)} req/s ${ok ? 'PASS' : 'MISS'}`);
    chatflow.server.closeAllConnections();
    bare.server.closeAllConnections();
    chatflow.server.close();
    bare.server.close();
  } finally {
    await deps.db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
