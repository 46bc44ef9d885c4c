// A tiny background loop: runs `work` every `intervalMs`, at once when nudged,
// never two runs at the same time; a failure is logged and the loop goes on.
import type { Logger } from '../logging/logger.js';

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): this {
    this.schedule(this.intervalMs);
    return this;
  }

  /** Run as soon as possible (new work arrived). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.current = (async () => {
      try {
        await this.work();
      } catch (err) {
        this.log.error({ err, poller: this.name }, 'background work failed');
      }
    })();
    await this.current;
    this.running = false;
    const soon = this.again;
    this.again = false;
    this.schedule(soon ? 0 : this.intervalMs);
  }

  /** Stops the loop and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
