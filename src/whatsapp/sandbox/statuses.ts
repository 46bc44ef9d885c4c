// Turns accepted sends into status webhooks: one POST per status ('each'),
// grouped per number ('batch'), or none ('off').
import type { SandboxNumber, StatusWebhookOptions } from './options.js';
import { messagesPayload, statusItem, type StatusError, type StatusTarget, type WebhookSender } from './webhooks.js';

export class StatusReporter {
  private readonly buffers = new Map<string, Record<string, unknown>[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly mode: StatusWebhookOptions['mode'];
  private readonly batchSize: number;
  private readonly flushMs: number;
  readonly autoDeliver: boolean;

  constructor(
    private readonly sender: WebhookSender,
    private readonly numberOf: (phoneNumberId: string) => SandboxNumber | undefined,
    private readonly nowSec: () => number,
    opts: StatusWebhookOptions,
  ) {
    this.mode = opts.mode;
    this.batchSize = opts.batchSize ?? 100;
    this.flushMs = opts.flushMs ?? 20;
    this.autoDeliver = opts.autoDeliver ?? true;
  }

  /** A send was accepted: `sent`, then `delivered` (unless autoDeliver is off). */
  accepted(t: StatusTarget): void {
    const items = [statusItem(t, 'sent', this.nowSec())];
    if (this.autoDeliver) items.push(statusItem(t, 'delivered', this.nowSec()));
    this.report(t.phoneNumberId, items);
  }

  delivered(t: StatusTarget): void {
    this.report(t.phoneNumberId, [statusItem(t, 'delivered', this.nowSec())]);
  }

  read(t: StatusTarget): void {
    this.report(t.phoneNumberId, [statusItem(t, 'read', this.nowSec())]);
  }

  failed(t: StatusTarget, error: StatusError): void {
    this.report(t.phoneNumberId, [statusItem(t, 'failed', this.nowSec(), error)]);
  }

  private report(phoneNumberId: string, items: Record<string, unknown>[]): void {
    if (this.mode === 'off' || !this.sender.enabled) return;
    const n = this.numberOf(phoneNumberId);
    if (!n) return;
    if (this.mode === 'each') {
      // One POST per status, in order for this message (sent before delivered).
      setImmediate(() =>
        this.sender.enqueue(async () => {
          for (const item of items) await this.sender.post(messagesPayload(n, { statuses: [item] }));
        }),
      );
      return;
    }
    let buf = this.buffers.get(phoneNumberId);
    if (!buf) {
      buf = [];
      this.buffers.set(phoneNumberId, buf);
    }
    buf.push(...items);
    if (buf.length >= this.batchSize) this.flushNumber(phoneNumberId);
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  private flushNumber(phoneNumberId: string): void {
    const buf = this.buffers.get(phoneNumberId);
    const n = this.numberOf(phoneNumberId);
    if (!buf || buf.length === 0 || !n) return;
    this.buffers.set(phoneNumberId, []);
    for (let i = 0; i < buf.length; i += this.batchSize) {
      const statuses = buf.slice(i, i + this.batchSize);
      this.sender.enqueue(async () => {
        await this.sender.post(messagesPayload(n, { statuses }));
      });
    }
  }

  /** Sends every buffered status now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const id of this.buffers.keys()) this.flushNumber(id);
  }

  /** Resolves once nothing is buffered or in flight. */
  async idle(): Promise<void> {
    // setImmediate-scheduled 'each' jobs land on the queue one turn later.
    await new Promise((r) => setImmediate(r));
    this.flush();
    await this.sender.idle();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.buffers.clear();
  }
}
