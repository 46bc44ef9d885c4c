// A streaming reader for multipart/form-data bodies that carry one file
// (plus a few small text fields). The repository has no multipart library;
// this one only needs RFC 7578's subset browsers and curl send: parts split
// by "\r\n--boundary", headers up to a blank line, the last boundary ending
// in "--". The file streams to `onFile` chunk by chunk, never buffered whole.
import { Invalid } from '../../errors.js';

export type FilePart = { field: string; filename: string; contentType: string };
export type PartHandler = {
  /** Called once per file part; then `data` for each chunk and `end`. Extra file parts are refused. */
  fileStart(part: FilePart): Promise<void>;
  data(chunk: Buffer): Promise<void>;
  fileEnd(): Promise<void>;
};

const MAX_HEADER = 16 * 1024;
const MAX_FIELD = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;.*?boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

function bad(): Invalid {
  return new Invalid({ file: { code: 'import.upload_malformed' } });
}

/** filename*=UTF-8''… (RFC 5987) wins over filename="…" (browsers send raw UTF-8 there). */
function dispositionOf(headers: string): { name: string; filename: string | null } {
  const line = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
  const name = /;\s*name="([^"]*)"/i.exec(line)?.[1] ?? '';
  const star = /;\s*filename\*=UTF-8''([^;\s]+)/i.exec(line)?.[1];
  const plain = /;\s*filename="([^"]*)"/i.exec(line)?.[1];
  let filename: string | null = plain ?? null;
  if (star) {
    try {
      filename = decodeURIComponent(star);
    } catch {
      /* keep the plain one */
    }
  }
  return { name, filename };
}

type Part = { field: string; file: boolean; text: Buffer[]; size: number };

/** One body's parse state: what is buffered, which part is open, what was read. */
class Reader {
  phase: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  // A leading CRLF lets the first boundary match the same delimiter as the others.
  buf: Buffer = Buffer.from('\r\n');
  part: Part | undefined;
  files = 0;
  readonly fields: Record<string, string> = {};
  constructor(readonly delim: Buffer, readonly h: PartHandler) {}

  async emit(data: Buffer): Promise<void> {
    if (!data.length || !this.part) return;
    if (this.part.file) return this.h.data(data);
    this.part.size += data.length;
    if (this.part.size > MAX_FIELD) throw bad();
    this.part.text.push(data);
  }

  async endPart(): Promise<void> {
    if (!this.part) return;
    if (this.part.file) await this.h.fileEnd();
    else this.fields[this.part.field] = Buffer.concat(this.part.text).toString('utf8');
    this.part = undefined;
  }

  async startPart(headers: string): Promise<void> {
    const d = dispositionOf(headers);
    if (d.filename === null) return void (this.part = { field: d.name, file: false, text: [], size: 0 });
    if (++this.files > 1) throw new Invalid({ file: { code: 'import.upload_one_file' } });
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
    await this.h.fileStart({ field: d.name, filename: d.filename, contentType });
    this.part = { field: d.name, file: true, text: [], size: 0 };
  }

  /** Consume what the buffer holds; false when more bytes are needed. */
  async step(): Promise<boolean> {
    if (this.phase === 'done') return false;
    if (this.phase === 'headers') {
      const end = this.buf.indexOf(CRLF2);
      if (end < 0) {
        if (this.buf.length > MAX_HEADER) throw bad();
        return false;
      }
      await this.startPart(this.buf.subarray(0, end).toString('utf8'));
      [this.buf, this.phase] = [this.buf.subarray(end + 4), 'body'];
      return true;
    }
    return this.boundary();
  }

  /** In a body (or the preamble): pass data on up to the next delimiter, then look past it. */
  private async boundary(): Promise<boolean> {
    const d = this.delim.length;
    const at = this.buf.indexOf(this.delim);
    if (at < 0 || this.buf.length < at + d + 2) {
      // Keep a tail that may hold the start of a delimiter.
      const keep = at >= 0 ? this.buf.length - at : Math.min(this.buf.length, d + 1);
      if (this.phase === 'body') await this.emit(this.buf.subarray(0, this.buf.length - keep));
      this.buf = this.buf.subarray(this.buf.length - keep);
      return false;
    }
    if (this.phase === 'body') await this.emit(this.buf.subarray(0, at));
    await this.endPart();
    const after = this.buf.subarray(at + d, at + d + 2).toString('latin1');
    this.buf = this.buf.subarray(at + d + 2);
    if (after === '--') this.phase = 'done';
    else if (after === '\r\n') this.phase = 'headers';
    else throw bad();
    return true;
  }
}

/** Parse `body`; returns the text fields. Throws Invalid on a malformed body or a second file. */
export async function readMultipart(body: AsyncIterable<Buffer>, boundary: string, h: PartHandler): Promise<Record<string, string>> {
  const r = new Reader(Buffer.from(`\r\n--${boundary}`), h);
  for await (const chunk of body) {
    r.buf = r.buf.length ? Buffer.concat([r.buf, chunk]) : chunk;
    while (await r.step());
  }
  if (r.phase !== 'done') throw bad();
  return r.fields;
}
