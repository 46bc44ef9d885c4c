// How many rows the first worksheet of an .xlsx holds, for the progress
// percentage (the streaming reader only learns it at the end). Reads the zip's
// central directory, finds the first `xl/worksheets/sheetN.xml` in file order
// (the one exceljs's streaming reader emits first, so the one imported), and
// inflates it as a stream: the `<dimension ref="A1:G1001"/>` near its start
// gives the answer at once; without one (some generators omit it or write a
// single cell), the `<row>` elements are counted. Never holds the sheet in
// memory; null for anything unexpected (the job then shows rows only).
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
/** The dimension element comes before sheetData; give up looking for it after this much XML. */
const DIMENSION_WINDOW = 64 * 1024;
const ROW_TAG = /<(?:\w+:)?row[\s>/]/;

type Entry = { name: string; method: number; compressed: number; localOffset: number };

async function readAt(fh: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** The central directory's entries (no ZIP64: uploads are far below 4 GB). */
async function entries(fh: fs.FileHandle, size: number): Promise<Entry[] | null> {
  const tailLen = Math.min(size, 22 + 65535);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let eocd = tail.length - 22;
  while (eocd >= 0 && tail.readUInt32LE(eocd) !== EOCD) eocd--;
  if (eocd < 0) return null;
  const [count, dirSize, dirOffset] = [tail.readUInt16LE(eocd + 10), tail.readUInt32LE(eocd + 12), tail.readUInt32LE(eocd + 16)];
  if (dirOffset + dirSize > size) return null;
  const dir = await readAt(fh, dirOffset, dirSize);
  const out: Entry[] = [];
  for (let p = 0, i = 0; i < count && p + 46 <= dir.length; i++) {
    if (dir.readUInt32LE(p) !== CENTRAL) return null;
    const nameLen = dir.readUInt16LE(p + 28);
    out.push({
      name: dir.toString('utf8', p + 46, p + 46 + nameLen), method: dir.readUInt16LE(p + 10),
      compressed: dir.readUInt32LE(p + 20), localOffset: dir.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return out;
}

/** The entry's bytes, inflated, as a stream. */
async function entryStream(file: string, fh: fs.FileHandle, e: Entry): Promise<Readable | null> {
  const local = await readAt(fh, e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL || (e.method !== 0 && e.method !== 8)) return null;
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (e.compressed === 0) return null;
  const raw = createReadStream(file, { start, end: start + e.compressed - 1 });
  if (e.method === 0) return raw;
  const inflate = zlib.createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}

/** "A1:G1001" → rows 1..1001; a single cell ("A1") says nothing. */
export function dimensionRows(ref: string): number | null {
  const m = /^\$?[A-Z]{1,3}\$?(\d+):\$?[A-Z]{1,3}\$?(\d+)$/i.exec(ref.trim());
  if (!m) return null;
  const rows = Number(m[2]) - Number(m[1]) + 1;
  return rows > 0 ? rows : null;
}

/** Rows of the sheet XML: the dimension when it has a range, else a count of <row> elements. */
async function rowsOf(xml: Readable): Promise<number | null> {
  const rowTag = new RegExp(ROW_TAG.source, 'g');
  let head = '';
  let tail = '';
  let count = 0;
  let looking = true;
  try {
    for await (const chunk of xml) {
      const text = tail + (chunk as Buffer).toString('latin1'); // the tags looked for are ASCII
      if (looking) {
        head += text;
        const dim = /<(?:\w+:)?dimension\s+ref="([^"]+)"/.exec(head);
        if (dim) {
          const rows = dimensionRows(dim[1]!);
          if (rows !== null) return rows;
          looking = false;
        } else if (/<(?:\w+:)?sheetData[\s>]/.test(head) || head.length > DIMENSION_WINDOW) looking = false;
        if (!looking) head = '';
      }
      count += (text.match(rowTag) ?? []).length;
      // A tag cut by the chunk edge ("<ro" | "w r=…") is carried over and counted with its end.
      const lt = text.lastIndexOf('<');
      const rest = lt >= 0 ? text.slice(lt) : '';
      tail = rest.length < 16 && !ROW_TAG.test(rest) ? rest : '';
    }
  } finally {
    xml.destroy();
  }
  return count;
}

/** Rows (header included) of the worksheet an import reads; null when the file cannot tell. */
export async function xlsxRowCount(file: string): Promise<number | null> {
  const fh = await fs.open(file, 'r');
  try {
    const list = await entries(fh, (await fh.stat()).size);
    const sheet = list?.filter((e) => SHEET.test(e.name)).sort((a, b) => a.localOffset - b.localOffset)[0];
    if (!sheet) return null;
    const xml = await entryStream(file, fh, sheet);
    return xml ? await rowsOf(xml) : null;
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}
