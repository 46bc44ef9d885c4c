// A tiny webhook receiver for tests and benchmarks: keeps the raw bytes of
// every POST and whether its X-Hub-Signature-256 verified.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '../signature.js';
import { parseWebhookPayload, type WebhookEvent } from '../webhook-payload.js';

export interface ReceivedWebhook {
  raw: Buffer;
  signature: string | undefined;
  valid: boolean;
  events: WebhookEvent[];
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** All events in arrival order. */
  events(): WebhookEvent[];
  /** Resolves when at least `n` events arrived (rejects after `timeoutMs`). */
  waitForEvents(n: number, timeoutMs?: number): Promise<WebhookEvent[]>;
  close(): Promise<void>;
}

export async function startReceiver(opts: {
  appSecret: string;
  /** HTTP status to answer for the n-th POST (default 200). */
  statusFor?: (n: number) => number;
}): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  let waiters: Array<() => void> = [];
  const all = () => received.flatMap((r) => r.events);
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = opts.statusFor?.(count++) ?? 200;
      if (status === 200) {
        const raw = Buffer.concat(chunks);
        const sig = req.headers[SIGNATURE_HEADER];
        const signature = Array.isArray(sig) ? sig[0] : sig;
        const valid = verifySignature(raw, signature, opts.appSecret);
        received.push({ raw, signature, valid, events: valid ? parseWebhookPayload(raw).events : [] });
        const w = waiters;
        waiters = [];
        for (const fn of w) fn();
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    received,
    events: all,
    waitForEvents(n, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events (got ${all().length})`)), timeoutMs);
        const check = () => {
          if (all().length >= n) {
            clearTimeout(timer);
            resolve(all());
          } else waiters.push(check);
        };
        check();
      });
    },
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
