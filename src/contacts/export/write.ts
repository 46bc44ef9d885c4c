// Streams export rows as an .xlsx (exceljs streaming WorkbookWriter: a styled
// header row, frozen and filterable; dates as real dates; phones as text) or
// as a CSV in UTF-8 with a BOM so Excel shows accents. Rows are committed as
// they arrive, so memory stays flat however many contacts there are.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine } from '../import/rejected.js';
import type { Cell, ExportColumn, ExportRow } from './columns.js';

export type WriteStats = { rows: number };

const NUM_FMT: Partial<Record<ExportColumn['kind'], string>> = {
  phone: '@', datetime: 'yyyy-mm-dd hh:mm', date: 'yyyy-mm-dd',
};

/** Column letters for the header's auto-filter range: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Excel's row limit per sheet, header included; longer exports continue on "Contactos (2)"… */
export const SHEET_ROWS = 1_048_576;

type XlsxOptions = { sheet: string; creator: string; headerColor: string; sheetRows?: number };

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, cols: ExportColumn[], o: XlsxOptions, n: number) {
  const name = n === 1 ? o.sheet.slice(0, 31) : `${o.sheet.slice(0, 25)} (${n})`;
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width, style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {} }));
  const header = ws.getRow(1);
  header.eachCell((cell) => {
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: o.headerColor } };
    cell.numFmt = '@';
  });
  ws.autoFilter = `A1:${columnLetter(cols.length)}1`;
  header.commit();
  return ws;
}

/** Waits for `out` to drain if its buffer is full, after letting queued compression run. */
async function settle(out: Writable): Promise<void> {
  await new Promise((r) => setImmediate(r));
  if (out.writableNeedDrain) await once(out, 'drain');
}

export async function writeXlsx(out: Writable, cols: ExportColumn[], batches: AsyncIterable<ExportRow[]>, o: XlsxOptions): Promise<WriteStats> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = o.creator;
  const perSheet = (o.sheetRows ?? SHEET_ROWS) - 1;
  let sheets = 1;
  let ws = addSheet(wb, cols, o, sheets);
  // exceljs renders each cell's style to XML to find its id unless it has seen that style object before;
  // each new cell gets a fresh copy of its column's, so the cells share one object per column instead
  // (a Date in a column without a date format keeps its own, which exceljs formats as a date).
  const styles = cols.map((c) => (NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {}));
  let rows = 0;
  for await (const batch of batches) {
    for (const r of batch) {
      if (rows > 0 && rows % perSheet === 0) {
        ws.commit();
        ws = addSheet(wb, cols, o, ++sheets);
      }
      const values = cols.map((c) => c.value(r));
      const row = ws.addRow(values);
      for (let i = 0; i < values.length; i++) {
        if (values[i] !== null && (!(values[i] instanceof Date) || NUM_FMT[cols[i]!.kind])) row.getCell(i + 1).style = styles[i]!;
      }
      row.commit();
      rows++;
    }
    // Backpressure: let the zip stream and the file catch up before the next batch is read.
    await settle(out);
  }
  ws.commit();
  await wb.commit();
  return { rows };
}

function csvCell(v: Cell, kind: ExportColumn['kind']): string {
  if (v === null) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return kind === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  return String(v);
}

export async function writeCsv(out: Writable, cols: ExportColumn[], batches: AsyncIterable<ExportRow[]>, delimiter = ','): Promise<WriteStats> {
  const send = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await send('\uFEFF' + csvLine(cols.map((c) => c.header), delimiter));
  let rows = 0;
  for await (const batch of batches) {
    let chunk = '';
    for (const r of batch) chunk += csvLine(cols.map((c) => csvCell(c.value(r), c.kind)), delimiter);
    rows += batch.length;
    await send(chunk);
  }
  out.end();
  await once(out, 'finish').catch(() => undefined);
  return { rows };
}
