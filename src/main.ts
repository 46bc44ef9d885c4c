// Starts the web server and/or the background workers (CHATFLOW_ROLE).
import http from 'node:http';
import { boot } from './boot.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { startJobs } from './jobs/worker.js';
import { createApp } from './web/app.js';
import { maybeStartSandbox } from './whatsapp/channel.js';

export type Running = { deps: Deps; server?: http.Server; url?: string; stop(): Promise<void> };

export async function start(config: Config): Promise<Running> {
  const deps = await boot(config);
  const { app, sessions } = createApp(deps);
  let server: http.Server | undefined;
  if (config.role !== 'worker') {
    server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.port, config.host, () => resolve());
    });
  }
  const jobs = config.role !== 'web' ? startJobs(deps, { sessions }) : undefined;
  const sandbox = server ? await maybeStartSandbox(deps, (server.address() as { port: number }).port) : undefined;
  const addr = server?.address();
  const url = addr && typeof addr === 'object' ? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${addr.port}` : undefined;
  deps.log.info({ url, role: config.role, database: config.client, publicUrl: config.publicUrl }, 'ChatFlow started');
  return {
    deps,
    server,
    url,
    async stop() {
      jobs?.stop();
      await sandbox?.close();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await deps.db.destroy();
    },
  };
}
