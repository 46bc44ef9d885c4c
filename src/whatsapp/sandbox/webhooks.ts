// The emulator's webhook side: builds Meta-shaped payloads, serialises them in
// Meta's escaped form, signs them and POSTs them (at least once, with retries).
import { Agent, request } from 'undici';
import { SIGNATURE_HEADER, signedMetaBody } from '../signature.js';
import type { SandboxNumber } from './options.js';

export interface StatusTarget {
  wamid: string;
  waId: string;
  phoneNumberId: string;
  callbackData?: string;
  /** Pricing category (`service` for free-form). */
  category: string;
}

export interface StatusError {
  code: number;
  title: string;
  details?: string;
}

/** The `messages` change envelope for one number. */
export function messagesPayload(n: SandboxNumber, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: n.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: n.displayPhoneNumber, phone_number_id: n.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function statusItem(t: StatusTarget, status: string, timestampSec: number, error?: StatusError): Record<string, unknown> {
  const item: Record<string, unknown> = { id: t.wamid, status, timestamp: String(timestampSec), recipient_id: t.waId };
  if (t.callbackData !== undefined) item.biz_opaque_callback_data = t.callbackData;
  if (status === 'sent' || status === 'delivered') {
    const free = t.category === 'service';
    item.pricing = { billable: !free, pricing_model: 'PMP', type: free ? 'free_customer_service' : 'regular', category: t.category };
  }
  if (error) {
    item.errors = [
      {
        code: error.code,
        title: error.title,
        message: error.title,
        error_data: { details: error.details ?? error.title },
        href: '/documentation/business-messaging/whatsapp/support/error-codes',
      },
    ];
  }
  return item;
}

export interface SenderOptions {
  url: string | undefined;
  appSecret: string;
  retries: number;
  concurrency: number;
}

export interface DeliveryRecord {
  status: number | 'network_error';
  attempts: number;
}

/** POSTs signed webhooks with bounded concurrency; idle() resolves when all are done. */
export class WebhookSender {
  readonly stats = { posted: 0, failed: 0, retried: 0 };
  private readonly agent: Agent | undefined;
  private readonly queue: Array<() => Promise<void>> = [];
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly opts: SenderOptions) {
    this.agent = opts.url ? new Agent({ connections: Math.max(opts.concurrency, 1), keepAliveTimeout: 10_000 }) : undefined;
  }

  get enabled(): boolean {
    return this.agent !== undefined && !this.closed;
  }

  /** Signs and POSTs one payload now (bypassing the queue); resolves with the last HTTP status. */
  async post(payload: unknown): Promise<DeliveryRecord> {
    const { body, signature } = signedMetaBody(payload, this.opts.appSecret);
    return this.postRaw(body, signature);
  }

  async postRaw(body: Buffer, signature: string): Promise<DeliveryRecord> {
    if (!this.agent || !this.opts.url) return { status: 'network_error', attempts: 0 };
    let last: DeliveryRecord['status'] = 'network_error';
    for (let attempt = 0; attempt <= this.opts.retries && !this.closed; attempt++) {
      if (attempt > 0) {
        this.stats.retried++;
        await new Promise((r) => setTimeout(r, 20 * 2 ** (attempt - 1)));
      }
      try {
        const res = await request(this.opts.url, {
          method: 'POST',
          dispatcher: this.agent,
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'user-agent': 'facebookexternalua' },
          body,
        });
        await res.body.dump();
        last = res.statusCode;
        if (res.statusCode === 200) {
          this.stats.posted++;
          return { status: 200, attempts: attempt + 1 };
        }
      } catch {
        last = 'network_error';
      }
    }
    this.stats.failed++;
    return { status: last, attempts: this.opts.retries + 1 };
  }

  /** Queues a job (one or more sequential posts) to run with bounded concurrency. */
  enqueue(job: () => Promise<void>): void {
    if (!this.enabled) return;
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.queue.length === 0) this.wake();
        });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  get busy(): boolean {
    return this.inFlight > 0 || this.queue.length > 0;
  }

  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await this.agent?.destroy();
    this.wake();
  }
}
