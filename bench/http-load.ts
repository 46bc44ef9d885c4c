// A small, bounded HTTP load loop (the stand-in for autocannon): N concurrent
// keep-alive clients on 127.0.0.1 cycling through a list of paths, stopping
// after `max` requests or `seconds`, whichever comes first. Run as a child
// process so the load generator does not share the server's event loop.
//   node --import tsx bench/http-load.ts '{"base":"http://127.0.0.1:3000","paths":["/"],"concurrency":50,"max":5000,"seconds":20,"headers":{}}'
import { Agent, request } from 'undici';

type Options = { base: string; paths: string[]; concurrency: number; max: number; seconds: number; headers?: Record<string, string> };

export type LoadResult = { requests: number; errors: number; seconds: number; rps: number; p50: number; p95: number; p99: number };

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(o.base)) throw new Error('load only against http://127.0.0.1:<port>');
  const agent = new Agent({ connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const worker = async () => {
    while (sent < o.max && performance.now() < deadline) {
      const path = o.paths[sent++ % o.paths.length]!;
      const t = performance.now();
      try {
        const r = await request(o.base + path, { dispatcher: agent, headers: o.headers });
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
