// Token buckets for the emulator's throughput (per number) and pair rate
// (per number × recipient) limits.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    /** Tokens added per millisecond. */
    private readonly refillPerMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.refillPerMs);
      this.last = now;
    }
  }

  /** Takes one token if available. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Consumes a token even when empty (inbound traffic is never refused). */
  consume(now: number): void {
    this.refill(now);
    this.tokens = Math.max(0, this.tokens - 1);
  }
}

export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly capacity: number,
    private readonly refillPerMs: number,
  ) {}

  get(key: string, now: number): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.capacity, this.refillPerMs, now);
      this.buckets.set(key, b);
    }
    return b;
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** Throughput: `perSec` burst, refilled continuously. */
export function throughputBuckets(perSec: number): BucketMap {
  return new BucketMap(perSec, perSec / 1000);
}

/** Pair rate: a burst (45 by Meta's docs) then 1 message per interval (6 s). */
export function pairBuckets(burst: number, intervalMs: number): BucketMap {
  return new BucketMap(burst, 1 / intervalMs);
}
