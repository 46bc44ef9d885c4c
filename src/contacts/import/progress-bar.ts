// A one-line progress bar for `chatflow contacts import`. On a terminal it
// redraws in place; when output is piped or logged it prints a line every
// 10% (or every 10 s when the total is unknown) instead of control codes.
export type BarStream = { isTTY?: boolean; columns?: number; write(s: string): unknown };

const WIDTH = 28;

export function formatBar(done: number, total: number | null, elapsedMs: number, extra: string): string {
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  const n = (x: number) => x.toLocaleString('en-US');
  const rateText = `${n(rate)} rows/s`;
  if (total === null || total <= 0) return `${n(done)} rows  ${rateText}  ${extra}`.trimEnd();
  const ratio = Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled);
  return `[${bar}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${n(done)}/${n(total)} rows  ${rateText}  ${extra}`.trimEnd();
}

export class ProgressBar {
  private readonly started = Date.now();
  private lastPrinted = -1;
  private lastAt = 0;

  constructor(private readonly out: BarStream) {}

  update(done: number, total: number | null, extra = ''): void {
    const line = formatBar(done, total, Date.now() - this.started, extra);
    if (this.out.isTTY) {
      const width = Math.max(20, (this.out.columns ?? 100) - 1);
      this.out.write(`\r${line.slice(0, width).padEnd(width)}`);
      return;
    }
    const step = total ? Math.floor((done / total) * 10) : Math.floor((Date.now() - this.started) / 10_000);
    if (step === this.lastPrinted && Date.now() - this.lastAt < 30_000) return;
    [this.lastPrinted, this.lastAt] = [step, Date.now()];
    this.out.write(`${line}\n`);
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
