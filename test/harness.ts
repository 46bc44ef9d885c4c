// Boots a real app on port 0 against a fresh database of the engine under
// test; gives a cookie-keeping HTTP client and factories.
import http from 'node:http';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { Clock, Deps } from '../src/deps.js';
import { createLogger } from '../src/logging/logger.js';
import { createApp, type AppOptions } from '../src/web/app.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { HttpClient } from './http.js';

export class TestClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 24, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export type TestApp = {
  deps: Deps;
  url: string;
  clock: TestClock;
  db: TestDatabase;
  client(): HttpClient;
  close(): Promise<void>;
};

export async function startTestApp(opts: AppOptions & { env?: Record<string, string>; realClock?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    CHATFLOW_DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    LOG_LEVEL: 'error',
    ...opts.env,
  });
  const clock = new TestClock(opts.realClock ? Date.now() : undefined);
  const deps = await boot(config, { log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), clock });
  const { app } = createApp(deps, opts);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address() as { port: number };
  const url = `http://127.0.0.1:${addr.port}`;
  return {
    deps,
    url,
    clock,
    db,
    client: () => new HttpClient(url),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.db.destroy();
      await db.drop();
    },
  };
}
