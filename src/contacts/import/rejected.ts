// The rejected-rows file: the original cells of every row that could not be
// imported, plus its row number and the reason in the importing user's
// language. It grows batch by batch; each batch's bytes are flushed to disk
// before the batch's transaction commits the new file length, and a resumed
// job first cuts the file back to that committed length, so a crash never
// leaves a row in it twice or drops one.
import { open, type FileHandle } from 'node:fs/promises';
import type { T } from '../../i18n/i18n.js';
import type { Reason } from './rows.js';

export type RejectedRow = { rowNumber: number; values: string[]; reason: Reason };

const BOM = '\uFEFF'; // Excel reads UTF-8 only with it

/**
 * A cell Excel would run as a formula (=, @, or +/- followed by more than a
 * phone number's characters) gets a leading apostrophe so it stays text.
 */
export function formulaSafe(v: string): string {
  return /^[=@]/.test(v) || /^[+-].*[^\d\s().\-/+]/.test(v) ? `'${v}` : v;
}

function quote(raw: string, delimiter: string): string {
  const v = formulaSafe(raw);
  if (!/["\r\n]/.test(v) && !v.includes(delimiter)) return v;
  return `"${v.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly string[], delimiter: string): string {
  return cells.map((c) => quote(c, delimiter)).join(delimiter) + '\r\n';
}

/** The reason in the reader's language; a nested code fills {problem}. */
export function reasonText(t: T, r: Reason): string {
  return t(r.code, r.problem ? { ...r.params, problem: t(r.problem) } : r.params);
}

export class RejectedFile {
  private constructor(
    private readonly fh: FileHandle,
    private bytes: number,
    private readonly delimiter: string,
    private readonly width: number,
    private readonly t: T,
  ) {}

  /** Open for appending after the committed length; writes the header on a fresh file. */
  static async open(path: string, committed: number, o: { headers: string[]; delimiter: string; t: T }): Promise<RejectedFile> {
    const fh = await open(path, committed > 0 ? 'r+' : 'w');
    await fh.truncate(committed);
    const file = new RejectedFile(fh, committed, o.delimiter, o.headers.length, o.t);
    if (committed === 0) {
      const headers = o.headers.map((h, i) => h || o.t('import.rejected.column', { n: i + 1 }));
      await file.write(BOM + csvLine([...headers, o.t('import.rejected.row'), o.t('import.rejected.reason')], o.delimiter));
    }
    return file;
  }

  /** Append rows (not yet durable: call flush() before committing the length). */
  async append(rows: readonly RejectedRow[]): Promise<void> {
    if (!rows.length) return;
    let text = '';
    for (const r of rows) {
      const cells = r.values.slice(0, this.width);
      while (cells.length < this.width) cells.push('');
      text += csvLine([...cells, String(r.rowNumber), reasonText(this.t, r.reason)], this.delimiter);
    }
    await this.write(text);
  }

  /** Bytes written so far; durable once flush() resolves. */
  get length(): number {
    return this.bytes;
  }

  async flush(): Promise<void> {
    await this.fh.sync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    await this.fh.write(buf, 0, buf.length, this.bytes);
    this.bytes += buf.length;
  }
}
