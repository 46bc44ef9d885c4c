// Rows of the first worksheet of an .xlsx file as text cells, streamed with
// exceljs's WorkbookReader so a 100k-row sheet never sits in memory.
import { createReadStream } from 'node:fs';
import { DomainError } from '../errors.js';
import { importError } from './import-errors.js';

export interface RawRow {
  /** The row number Excel shows (1-based, counting empty rows). */
  rowNumber: number;
  cells: string[];
}

export async function* xlsxRows(file: string): AsyncGenerator<RawRow> {
  // Loaded on demand: exceljs is large and most imports are CSV.
  const { default: ExcelJS } = await import('exceljs');
  const input = createReadStream(file);
  // Styles are needed: a date is a number with a date format in styles.xml.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  let sawSheet = false;
  try {
    for await (const sheet of reader) {
      sawSheet = true;
      for await (const row of sheet) yield { rowNumber: row.number, cells: rowCells(row.values) };
      break; // first sheet only
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw importError('contacts.import.xlsx_unreadable');
  } finally {
    input.destroy();
  }
  // A zip without worksheets: a .docx, .ods or other archive renamed .xlsx.
  if (!sawSheet) throw importError('contacts.import.xlsx_unreadable');
}

/** exceljs rows are 1-based sparse arrays; holes are empty cells. */
function rowCells(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  const out: string[] = [];
  for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
  return out;
}

/**
 * Cell value → text. Numbers keep every digit (a phone typed as a number is
 * 5215512345678, never 5.21555E+12: the workbook stores the full double).
 * Dates become ISO: YYYY-MM-DD when there is no time part.
 */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return o.richText.map((r: { text?: unknown }) => String(r.text ?? '')).join('').trim();
    if ('result' in o) return cellText(o.result); // formula: its cached value
    if ('text' in o) return cellText(o.text); // hyperlink
    if ('error' in o) return ''; // #N/A, #REF!…
  }
  return String(v);
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
