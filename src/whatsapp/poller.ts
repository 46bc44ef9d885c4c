// A tiny background loop: runs `work` every `intervalMs`, at once when nudged,
// never two runs at the same time; a failure is logged and the loop goes on.
// `nudgeDelayMs` lets nudges that arrive together share one run (a burst of
// webhooks becomes one batch instead of many tiny ones); it never postpones a
// run already due sooner.
import type { Logger } from '../logging/logger.js';

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;
  private running = false;
  private again = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly nudgeDelayMs = 0,
  ) {}

  start(): this {
    this.schedule(this.intervalMs);
    return this;
  }

  /** Run as soon as possible (new work arrived). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else if (this.dueAt > Date.now() + this.nudgeDelayMs) this.schedule(this.nudgeDelayMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.dueAt = Infinity;
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
    this.schedule(soon ? this.nudgeDelayMs : this.intervalMs);
  }

  /** Stops the loop and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
