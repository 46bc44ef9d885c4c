// B4: status-webhook ingestion. Signed status webhooks (one status each, as
// Meta sends them during a campaign) POSTed by 50 keep-alive clients to the
// real app's /webhooks/whatsapp (raw body → HMAC over the bytes against the
// numbers' app secrets → durable insert into webhook_events → 200), against a
// raw Node http server doing the same signature check and the same insert on
// its own database. The worker is not running: this measures the ack path.
// Goals (shared/benchmarks.md): ≥ 3,000 callbacks/s sustained, ack p99 < 200 ms.
// Prints `B4 webhook ingestion: ratio=… (goal ≥ 0.5) abs=… PASS|MISS`.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import { createLogger } from '../src/logging/logger.js';
import { createApp } from '../src/web/app.js';
import { startSandbox } from '../src/whatsapp/sandbox-boot.js';
import { numberSecrets, sandboxNumber } from '../src/whatsapp/numbers-queries.js';
import { signedMetaBody } from '../src/whatsapp/signature.js';
import type { LoadResult } from './http-load.js';

const CONCURRENCY = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX = Number(process.env.BENCH_REQUESTS ?? 200_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function listen(handler: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

async function load(url: string, bodiesFile: string, seconds = SECONDS): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'webhook-load.ts'),
    JSON.stringify({ url, bodiesFile, concurrency: CONCURRENCY, max: MAX, seconds })], { encoding: 'utf8', timeout: (seconds + 60) * 1000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult;
}

/** 2,000 distinct status webhooks in Meta's escaped, signed form. */
function statusBodies(n: { wabaId: string; phoneNumberId: string }, secret: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < 2000; i++) {
    const status = { id: `wamid.bench${i}`, status: ['sent', 'delivered', 'read'][i % 3], timestamp: String(1761830400 + i), recipient_id: `52155${String(10000000 + i)}`,
      biz_opaque_callback_data: `c:1:r:${i}`, pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } };
    const value = { object: 'whatsapp_business_account', entry: [{ id: n.wabaId, changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: n.phoneNumberId }, statuses: [status] } }] }] };
    const { body, signature } = signedMetaBody(value, secret);
    out.push([body.toString('utf8'), signature]);
  }
  return out;
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

async function bootApp(tag: string): Promise<Deps> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cf-bench-b4-${tag}-`));
  const db = process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {};
  const config = loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...db });
  return boot(config, { log: createLogger('warn') });
}

async function main(): Promise<void> {
  const deps = await bootApp('app');
  const base = await bootApp('raw');
  const { app } = createApp(deps);
  const chatflow = await listen(app);
  const sb = await startSandbox(deps, { webhookUrl: `${chatflow.base}/webhooks/whatsapp`, samples: false, sandbox: { statusWebhooks: 'off' } });
  const n = (await sandboxNumber(deps.db))!;
  const { appSecret } = await numberSecrets(deps, n.id);
  const bodies = path.join(deps.config.dataDir, 'bodies.json');
  fs.writeFileSync(bodies, JSON.stringify(statusBodies(n, appSecret)));
  const raw = await listen(rawServer(base.db, appSecret));
  try {
    await load(`${raw.base}/`, bodies, 2);
    await load(`${chatflow.base}/webhooks/whatsapp`, bodies, 2);
    const b = await load(`${raw.base}/`, bodies);
    const ours = await load(`${chatflow.base}/webhooks/whatsapp`, bodies);
    const stored = Number((await deps.db('webhook_events').count({ n: '*' }).first())?.n ?? 0);
    if (ours.errors || b.errors) throw new Error(`errors: app ${ours.errors}, raw ${b.errors}`);
    const ratio = ours.rps / b.rps;
    const ok = ratio >= 0.5 && ours.rps >= 3000 && ours.p99 < 200;
    console.log(`B4 webhook ingestion: ratio=${ratio.toFixed(2)} (goal ≥ 0.5) abs=${fmt(ours.rps)} callbacks/s, ack p99 ${ours.p99.toFixed(1)} ms (goal ≥ 3,000/s, p99 < 200 ms) ` +
      `vs raw node:http ${fmt(b.rps)}/s p99 ${b.p99.toFixed(1)} ms; ${fmt(stored)} events stored, ${deps.config.client}, ${CONCURRENCY} clients ${ok ? 'PASS' : 'MISS'}`);
  } finally {
    await sb.close();
    chatflow.server.close();
    raw.server.close();
    await deps.db.destroy();
    await base.db.destroy();
  }
}

await main();
