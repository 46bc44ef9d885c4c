// POST load for B4: N concurrent keep-alive clients POST pre-signed webhook
// bodies (round-robin) to one URL for `seconds` or `max` requests. Runs as a
// child process so the load does not share the servers' event loop.
// Optional "rate": paced load (requests/s) instead of as fast as possible.
//   node --import tsx bench/webhook-load.ts '{"url":"http://127.0.0.1:3000/webhooks/whatsapp","bodiesFile":"/tmp/b.json","concurrency":50,"max":20000,"seconds":10}'
// bodiesFile holds a JSON array of [body, "sha256=…"] pairs.
import fs from 'node:fs';
import { Agent, request } from 'undici';
import { runLoad, type LoadLimits, type LoadResult } from './load-loop.js';

// With `rate`, the load is paced instead: request i is due at start + i/rate,
// and its latency counts from that due time, so a server that falls behind
// shows its queue in the percentiles (no coordinated omission).
type Options = LoadLimits & { url: string; bodiesFile: string; rate?: number };
type Body = { body: Buffer; sig: string };

async function post(url: string, agent: Agent, b: Body): Promise<number> {
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': b.sig };
  const r = await request(url, { method: 'POST', dispatcher: agent, body: b.body, headers });
  await r.body.dump();
  return r.statusCode;
}

async function paced(o: Options & { rate: number }, bodies: Body[]): Promise<LoadResult> {
  const agent = new Agent({ connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.min(o.max, Math.floor(o.rate * o.seconds));
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const due = started + (i * 1000) / o.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      try {
        if ((await post(o.url, agent, bodies[i % bodies.length]!)) !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - due);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) throw new Error('load only against http://127.0.0.1:<port>/');
  const pairs = JSON.parse(fs.readFileSync(o.bodiesFile, 'utf8')) as Array<[string, string]>;
  const bodies = pairs.map(([b, sig]) => ({ body: Buffer.from(b, 'utf8'), sig }));
  if (o.rate) return paced({ ...o, rate: o.rate }, bodies);
  return runLoad(o, (agent, i) => post(o.url, agent, bodies[i % bodies.length]!));
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
process.stdout.write(JSON.stringify(await run(opts)));
