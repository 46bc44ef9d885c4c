// POST load for B4: N concurrent keep-alive clients POST pre-signed webhook
// bodies (round-robin) to one URL for `seconds` or `max` requests. Runs as a
// child process so the load does not share the servers' event loop.
//   node --import tsx bench/webhook-load.ts '{"url":"http://127.0.0.1:3000/webhooks/whatsapp","bodiesFile":"/tmp/b.json","concurrency":50,"max":20000,"seconds":10}'
// bodiesFile holds a JSON array of [body, "sha256=…"] pairs.
import fs from 'node:fs';
import { request } from 'undici';
import { runLoad, type LoadLimits, type LoadResult } from './load-loop.js';

type Options = LoadLimits & { url: string; bodiesFile: string };

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) throw new Error('load only against http://127.0.0.1:<port>/');
  const pairs = JSON.parse(fs.readFileSync(o.bodiesFile, 'utf8')) as Array<[string, string]>;
  const bodies = pairs.map(([b, sig]) => ({ body: Buffer.from(b, 'utf8'), sig }));
  return runLoad(o, async (agent, i) => {
    const b = bodies[i % bodies.length]!;
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': b.sig };
    const r = await request(o.url, { method: 'POST', dispatcher: agent, body: b.body, headers });
    await r.body.dump();
    return r.statusCode;
  });
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
process.stdout.write(JSON.stringify(await run(opts)));
