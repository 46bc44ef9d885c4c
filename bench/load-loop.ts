// The bounded load loop both load generators share: `concurrency` workers on
// one keep-alive undici Agent call `send(agent, i)` until `max` requests or
// `seconds` have passed, then report throughput and latency percentiles.
// With `rate` the load is paced instead: request i is due at start + i/rate
// (at most rate × seconds of them), and its latency counts from that due
// time, so a server that falls behind shows its queue in the percentiles
// (no coordinated omission).
import { Agent } from 'undici';

export type LoadResult = { requests: number; errors: number; seconds: number; rps: number; p50: number; p95: number; p99: number };
export type LoadLimits = { concurrency: number; max: number; seconds: number; rate?: number };

/** `send` returns the HTTP status; anything but 200, or a throw, counts as an error. */
export async function runLoad(o: LoadLimits, send: (agent: Agent, i: number) => Promise<number>): Promise<LoadResult> {
  const agent = new Agent({ connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const rate = o.rate;
  const total = rate ? Math.min(o.max, Math.floor(rate * o.seconds)) : o.max;
  const more = rate ? () => sent < total : () => sent < total && performance.now() < deadline;
  const worker = async () => {
    while (more()) {
      const i = sent++;
      let t = performance.now();
      if (rate) {
        const due = started + (i * 1000) / rate;
        if (due - t > 1) await new Promise((r) => setTimeout(r, due - t));
        t = due;
      }
      try {
        if ((await send(agent, i)) !== 200) errors++;
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
