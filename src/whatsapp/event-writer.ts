// Group commit for webhook bodies: every POST waits for its row to be durably
// inserted before the 200, but rows arriving together share one multi-row
// INSERT (one transaction), so ingestion keeps up with Meta's bursts of
// status callbacks (3 per message during a campaign) on SQLite too.
import type { Deps } from '../deps.js';

type Pending = { body: string; at: number; done: (err?: unknown) => void };

const MAX_BATCH = 500;

export class EventWriter {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly deps: Pick<Deps, 'db'>) {}

  /** Resolves once the body is stored (rejects if the insert failed: answer non-200 so Meta retries). */
  write(body: string, at: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, at, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let the requests already parsed in this turn of the event loop join the batch.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.deps.db('webhook_events').insert(batch.map((p) => ({ received_at: p.at, body: p.body, status: 'pending', attempts: 0 })));
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err);
      }
    }
    this.running = false;
  }
}
