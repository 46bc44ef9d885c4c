// POST load for B4: N concurrent keep-alive clients POST pre-signed webhook
// bodies (round-robin) to one URL for `seconds` or `max` requests. Runs as a
// child process so the load does not share the servers' event loop.
// Optional "rate": paced load (requests/s) instead of as fast as possible (see load-loop.ts).
//   node --import tsx bench/webhook-load.ts '{"url":"http://127.0.0.1:3000/webhooks/whatsapp","bodiesFile":"/tmp/b.json","concurrency":50,"max":20000,"seconds":10}'
// bodiesFile holds a JSON array of [body, "sha256=…"] pairs.
import fs from 'node:fs';
import { Agent, request } from 'undici';
import { runLoad, type LoadLimits, type LoadResult } from './load-loop.js';

type Options = LoadLimits & { url: string; bodiesFile: string };
type Body = { body: Buffer; sig: string };

async function post(url: string, agent: Agent, b: Body): Promise<number> {
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': b.sig };
  const r = await request(url, { method: 'POST', dispatcher: agent, body: b.body, headers });
  await r.body.dump();
  return r.statusCode;
}

async function run(o: Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) throw new Error('load only against http://127.0.0.1:<port>/');
  const pairs = JSON.parse(fs.readFileSync(o.bodiesFile, 'utf8')) as Array<[string, string]>;
  const bodies = pairs.map(([b, sig]) => ({ body: Buffer.from(b, 'utf8'), sig }));
  return runLoad(o, (agent, i) => post(o.url, agent, bodies[i % bodies.length]!));
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
process.stdout.write(JSON.stringify(await run(opts)));
