// POST load for B4: N concurrent keep-alive clients POST pre-signed webhook
// bodies (round-robin) to one URL for `seconds` or `max` requests. Runs as a
// child process so the load does not share the servers' event loop.
//   node --import tsx bench/webhook-load.ts '{"url":"http://127.0.0.1:3000/webhooks/whatsapp","bodiesFile":"/tmp/b.json","concurrency":50,"max":20000,"seconds":10}'
// bodiesFile holds a JSON array of [body, "sha256=…"] pairs.
import fs from 'node:fs';
import { Agent, request } from 'undici';
import type { LoadResult } from './http-load.js';

type Options = { url: string; bodiesFile: string; concurrency: number; max: number; seconds: number };

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) throw new Error('load only against http://127.0.0.1:<port>/');
  const agent = new Agent({ connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const pairs = JSON.parse(fs.readFileSync(o.bodiesFile, 'utf8')) as Array<[string, string]>;
  const bodies = pairs.map(([b, sig]) => ({ body: Buffer.from(b, 'utf8'), sig }));
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const worker = async () => {
    while (sent < o.max && performance.now() < deadline) {
      const b = bodies[sent++ % bodies.length]!;
      const t = performance.now();
      try {
        const r = await request(o.url, { method: 'POST', dispatcher: agent, body: b.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.sig } });
        await r.body.dump();
        if (r.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
process.stdout.write(JSON.stringify(await run(opts)));
