// A small, bounded HTTP load loop (the stand-in for autocannon): N concurrent
// keep-alive clients on 127.0.0.1 cycling through a list of paths, stopping
// after `max` requests or `seconds`, whichever comes first. Run as a child
// process so the load generator does not share the server's event loop.
//   node --import tsx bench/http-load.ts '{"base":"http://127.0.0.1:3000","paths":["/"],"concurrency":50,"max":5000,"seconds":20,"headers":{}}'
import { request } from 'undici';
import { runLoad, type LoadLimits, type LoadResult } from './load-loop.js';

export type { LoadResult };
type Options = LoadLimits & { base: string; paths: string[]; headers?: Record<string, string> };

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(o.base)) throw new Error('load only against http://127.0.0.1:<port>');
  return runLoad(o, async (agent, i) => {
    const r = await request(o.base + o.paths[i % o.paths.length]!, { dispatcher: agent, headers: o.headers });
    await r.body.dump();
    return r.statusCode;
  });
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
process.stdout.write(JSON.stringify(await run(opts)));
