// Wiring of the WhatsApp channel into the process (usage counters: channel-usage.ts):
// background pollers (worker role) and the built-in sandbox (web process).
import type { Deps } from '../deps.js';
import { closeGraphClients } from './graph-clients.js';
import { downloadPendingMedia } from './media-service.js';
import { Poller } from './poller.js';
import { startSandbox, type RunningSandbox } from './sandbox-boot.js';
import { startWebhookWorker } from './webhook-worker.js';

/** Webhook events every second (at once when one arrives in-process); pending media downloads every 30 s. */
export function startChannelWorkers(deps: Deps): { stop(): Promise<void> } {
  const events = startWebhookWorker(deps);
  const media = new Poller('media-downloads', 30_000, () => downloadPendingMedia(deps), deps.log).start();
  return {
    async stop() {
      await Promise.all([events.stop(), media.stop()]);
      await closeGraphClients();
    },
  };
}

/** Starts the sandbox when CHATFLOW_SANDBOX=on; `appPort` is where this process listens. */
export async function maybeStartSandbox(deps: Deps, appPort: number): Promise<RunningSandbox | undefined> {
  if (!deps.config.sandbox) return undefined;
  const host = deps.config.host === '0.0.0.0' || deps.config.host === '::' ? '127.0.0.1' : deps.config.host;
  try {
    return await startSandbox(deps, { webhookUrl: `http://${host}:${appPort}/webhooks/whatsapp` });
  } catch (err) {
    deps.log.error({ err }, 'WhatsApp sandbox could not start');
    return undefined;
  }
}
