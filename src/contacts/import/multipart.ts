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

type State = { phase: 'preamble' | 'headers' | 'body' | 'done'; buf: Buffer; part?: { field: string; file: boolean; text: Buffer[]; size: number } };

/** Parse `body`; returns the text fields. Throws Invalid on a malformed body or a second file. */
export async function readMultipart(body: AsyncIterable<Buffer>, boundary: string, h: PartHandler): Promise<Record<string, string>> {
  const delim = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string> = {};
  // A leading CRLF lets the first boundary match the same delimiter as the others.
  const st: State = { phase: 'preamble', buf: Buffer.from('\r\n') };
  let files = 0;
  const emit = async (data: Buffer) => {
    if (!data.length || !st.part) return;
    if (st.part.file) return h.data(data);
    st.part.size += data.length;
    if (st.part.size > MAX_FIELD) throw bad();
    st.part.text.push(data);
  };
  const endPart = async () => {
    if (!st.part) return;
    if (st.part.file) await h.fileEnd();
    else fields[st.part.field] = Buffer.concat(st.part.text).toString('utf8');
    st.part = undefined;
  };
  const startPart = async (headers: string) => {
    const d = dispositionOf(headers);
    if (d.filename === null) return void (st.part = { field: d.name, file: false, text: [], size: 0 });
    if (++files > 1) throw new Invalid({ file: { code: 'import.upload_one_file' } });
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
    await h.fileStart({ field: d.name, filename: d.filename, contentType });
    st.part = { field: d.name, file: true, text: [], size: 0 };
  };
  for await (const chunk of body) {
    st.buf = st.buf.length ? Buffer.concat([st.buf, chunk]) : chunk;
    for (;;) {
      if (st.phase === 'done') break;
      if (st.phase === 'headers') {
        const end = st.buf.indexOf(CRLF2);
        if (end < 0) {
          if (st.buf.length > MAX_HEADER) throw bad();
          break;
        }
        await startPart(st.buf.subarray(0, end).toString('utf8'));
        st.buf = st.buf.subarray(end + 4);
        st.phase = 'body';
        continue;
      }
      const at = st.buf.indexOf(delim);
      if (at < 0 || st.buf.length < at + delim.length + 2) {
        // Keep a tail that may hold the start of a delimiter.
        const keep = at >= 0 ? st.buf.length - at : Math.min(st.buf.length, delim.length + 1);
        if (st.phase === 'body') await emit(st.buf.subarray(0, st.buf.length - keep));
        st.buf = st.buf.subarray(st.buf.length - keep);
        break;
      }
      if (st.phase === 'body') await emit(st.buf.subarray(0, at));
      await endPart();
      const after = st.buf.subarray(at + delim.length, at + delim.length + 2).toString('latin1');
      st.buf = st.buf.subarray(at + delim.length + 2);
      if (after === '--') st.phase = 'done';
      else if (after === '\r\n') st.phase = 'headers';
      else throw bad();
    }
  }
  if (st.phase !== 'done') throw bad();
  return fields;
}
