import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path'; import http from 'node:http';
import { boot } from '../src/boot.js'; import { loadConfig } from '../src/config.js'; import { createLogger } from '../src/logging/logger.js';
import { createApp } from '../src/web/app.js'; import { completeSetup } from '../test/factories.js'; import { HttpClient } from '../test/http.js';
import { seedContacts } from '../bench/contacts-seed.js';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-prof-'));
const deps = await boot(loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), { log: createLogger('warn') });
await seedContacts({ db: deps.db, engine: 'sqlite', dir: dataDir, drop: async () => {} }, 25000);
const { app } = createApp(deps);
const server = http.createServer(app); await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const c = new HttpClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
await completeSetup(c);
const paths = ['munoz'].map((q) => `/contacts?q=${q}`);
for (const p of paths) { const t = performance.now(); for (let i = 0; i < 200; i++) await c.get(p); console.log(p, ((performance.now() - t) / 200).toFixed(1), 'ms'); }
server.closeAllConnections(); server.close(); await deps.db.destroy();
