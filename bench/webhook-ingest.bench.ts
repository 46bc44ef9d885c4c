// B4: status-webhook ingestion during a 1,000/s campaign (shared/benchmarks.md):
// statuses arrive at 3 × the send rate, one per POST, signed like Meta's.
// 1. Capacity: 50 keep-alive clients as fast as they can against the real
//    app's /webhooks/whatsapp (raw body → HMAC over the bytes → durable
//    group-committed insert → 200) and against a raw node:http server doing
//    the same check and insert on its own database, same machine, same run:
//    the ratio, absolute callbacks/s and ack p99 (worker off: the ack path).
// 2. Sustained: 3,000 statuses/s paced for the same time, with the webhook
//    worker running in the same process (CHATFLOW_ROLE=all, the default)
//    applying them to the campaign's messages; ack p99 from each request's due
//    time; the worker kept up if the backlog at the end is ≤ 1 s of statuses.
// Prints `B4 webhook ingestion: ratio=… (goal ≥ 0.5) abs=… … PASS|MISS`.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { type Knex } from 'knex';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import { createLogger } from '../src/logging/logger.js';
import { createApp } from '../src/web/app.js';
import { startSandbox } from '../src/whatsapp/sandbox-boot.js';
import { numberSecrets, sandboxNumber } from '../src/whatsapp/numbers-queries.js';
import { startWebhookWorker } from '../src/whatsapp/webhook-worker.js';
import type { LoadResult } from './http-load.js';
import { seedCampaignMessages, statusBodies } from './webhook-seed.js';

const CONCURRENCY = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX = Number(process.env.BENCH_REQUESTS ?? 200_000);
const SEND_RATE = 1000;
const RATE = 3 * SEND_RATE; // sent + delivered + read per message
const MESSAGES = Math.ceil((RATE * SECONDS) / 3);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function listen(handler: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

async function load(url: string, bodiesFile: string, seconds = SECONDS, rate?: number): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'webhook-load.ts'),
    JSON.stringify({ url, bodiesFile, concurrency: CONCURRENCY, max: MAX, seconds, rate })], { encoding: 'utf8', timeout: (seconds + 60) * 1000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult;
}

/** The baseline: node:http, raw body, HMAC + timingSafeEqual, one knex insert, 200. */
function rawServer(db: Knex, secret: string): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? '').slice(7), 'hex');
      const expected = crypto.createHmac('sha256', secret).update(raw).digest();
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return void res.writeHead(403).end();
      db('webhook_events').insert({ received_at: Date.now(), body: raw.toString('utf8'), status: 'pending', attempts: 0 })
        .then(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED'), () => res.writeHead(503).end());
    });
  };
}

/**
 * On Postgres (BENCH_DATABASE_URL: a server where the user may create
 * databases) the run gets a fresh database of its own, dropped at the end, so
 * a re-run never meets an earlier run's rows. Both servers share it.
 */
async function benchDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const admin = process.env.BENCH_DATABASE_URL;
  if (!admin) return { drop: async () => {} };
  const name = `cf_bench_b4_${process.pid}`;
  const run = async (sql: string) => {
    const k = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
    try {
      await k.raw(sql);
    } finally {
      await k.destroy();
    }
  };
  await run(`drop database if exists ${name} with (force)`);
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

async function bootApp(tag: string, databaseUrl: string | undefined): Promise<Deps> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cf-bench-b4-${tag}-`));
  const db = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  const config = loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...db });
  return boot(config, { log: createLogger('warn') });
}

const pending = async (db: Knex) => Number((await db('webhook_events').where({ status: 'pending' }).count({ n: '*' }).first())?.n ?? 0);

async function main(): Promise<void> {
  const database = await benchDatabase();
  const deps = await bootApp('app', database.url);
  const base = await bootApp('raw', database.url);
  const { app } = createApp(deps);
  const chatflow = await listen(app);
  const sb = await startSandbox(deps, { webhookUrl: `${chatflow.base}/webhooks/whatsapp`, samples: false, sandbox: { statusWebhooks: 'off' } });
  const n = (await sandboxNumber(deps.db))!;
  const { appSecret } = await numberSecrets(deps, n.id);
  await seedCampaignMessages(deps.db, n, MESSAGES);
  const bodies = path.join(deps.config.dataDir, 'bodies.json');
  fs.writeFileSync(bodies, JSON.stringify(statusBodies(n, appSecret, MESSAGES, RATE)));
  const raw = await listen(rawServer(base.db, appSecret));
  const url = `${chatflow.base}/webhooks/whatsapp`;
  try {
    await load(`${raw.base}/`, bodies, 2);
    await load(url, bodies, 2);
    const b = await load(`${raw.base}/`, bodies);
    await deps.db('webhook_events').delete(); // on Postgres both servers share one database
    const ours = await load(url, bodies);
    const stored = Number((await deps.db('webhook_events').count({ n: '*' }).first())?.n ?? 0);
    // Phase 2 starts from an empty queue (the worker was off: no message changed yet).
    await deps.db('webhook_events').delete();
    const worker = startWebhookWorker(deps);
    const run = await load(url, bodies, SECONDS, RATE);
    const backlog = await pending(deps.db);
    const t0 = performance.now();
    while ((await pending(deps.db)) > 0 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    const drainS = (performance.now() - t0) / 1000;
    await worker.stop();
    const left = await pending(deps.db);
    const read = Number((await deps.db('messages').where({ status: 'read', campaign_id: 1 }).count({ n: '*' }).first())?.n ?? 0);
    const expectRead = Math.floor(run.requests / 3);
    if (ours.errors || b.errors || run.errors) throw new Error(`errors: app ${ours.errors}, raw ${b.errors}, sustained ${run.errors}`);
    const ratio = ours.rps / b.rps;
    const keptUp = run.rps >= 0.97 * RATE && backlog <= RATE && left === 0 && read === expectRead;
    const ok = ratio >= 0.5 && ours.rps >= 3000 && ours.p99 < 200 && run.p99 < 200 && keptUp;
    console.log(`B4 webhook ingestion: ratio=${ratio.toFixed(2)} (goal ≥ 0.5) abs=${fmt(ours.rps)} callbacks/s, ack p99 ${ours.p99.toFixed(1)} ms (goal ≥ 3,000/s, p99 < 200 ms) ` +
      `vs raw node:http ${fmt(b.rps)}/s p99 ${b.p99.toFixed(1)} ms; ${fmt(stored)} events stored; ` +
      `sustained ${fmt(RATE)}/s offered (3 × ${fmt(SEND_RATE)}/s sends) with the worker on: ${fmt(run.rps)}/s acked, ack p50/p95/p99 ${run.p50.toFixed(1)}/${run.p95.toFixed(1)}/${run.p99.toFixed(1)} ms, ` +
      `backlog at end ${fmt(backlog)} (drained in ${drainS.toFixed(1)} s, ${fmt(left)} left), ${fmt(read)}/${fmt(expectRead)} messages read, worker ${keptUp ? 'kept up' : 'fell behind'}; ` +
      `${deps.config.client}, ${CONCURRENCY} clients ${ok ? 'PASS' : 'MISS'}`);
  } finally {
    await sb.close();
    chatflow.server.close();
    raw.server.close();
    await deps.db.destroy();
    await base.db.destroy();
    await database.drop();
  }
}

await main();
