// Reads an uploaded contacts file (CSV in any common encoding/delimiter, or
// XLSX) as a stream of records. readHeader() powers the preview and refuses
// unusable files up front; records() feeds the import job and can restart
// from a row number after a crash (rows are re-parsed, not re-imported).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { autoMap, phoneColumn, type ColumnMapping } from './column-mapping.js';
import { decodeSample, detectDelimiter, sniffKind, toUtf8, type Delimiter, type TextEncodingName } from './csv-sniff.js';
import { importError } from './import-errors.js';
import { looksLikePhone } from './phone.js';
import { xlsxRows, type RawRow } from './xlsx-rows.js';

export type FileFormat =
  | { format: 'csv'; encoding: TextEncodingName; delimiter: Delimiter; skipLines: number }
  | { format: 'xlsx' };

export type RowIssueCode = 'contacts.import.row_extra_columns' | 'contacts.import.row_missing_columns';
export interface RowIssue {
  code: RowIssueCode;
  /** error: the row's cells cannot be trusted (shifted); warning: padded with empties. */
  severity: 'error' | 'warning';
  params: { expected: number; found: number };
}

export interface ImportRecord {
  /** Row number as the spreadsheet shows it (header = 1 when present). */
  rowNumber: number;
  /** One value per column, aligned with `columns`, trimmed, '' when empty. */
  values: string[];
  issue?: RowIssue;
}

export interface HeaderPreview {
  format: FileFormat;
  /** Header texts; '' for every column when the file has no header row. */
  columns: string[];
  hasHeader: boolean;
  sample: ImportRecord[];
  mapping: ColumnMapping;
}

export interface ReadHeaderOptions {
  sampleRows?: number;
  /** Country for national numbers while guessing the phone column by content. */
  defaultCountry?: string | null;
}

export interface RecordsOptions {
  /** Skip rows before this row number (resume after a crash). */
  startAt?: number;
  /** The format from readHeader(); sniffed again when omitted. */
  format?: FileFormat;
}

const SNIFF_BYTES = 1024 * 1024; // encoding needs a wide look: accents may be rare
const DELIMITER_CHARS = 64 * 1024;

/** Detect XLSX vs delimited text, its encoding and delimiter. */
export async function sniffFile(file: string): Promise<FileFormat> {
  const { head, complete } = await readHead(file, SNIFF_BYTES);
  const kind = sniffKind(head);
  if (kind.kind === 'xlsx') return { format: 'xlsx' };
  const text = decodeSample(head, kind.encoding);
  const sample = text.slice(0, DELIMITER_CHARS);
  const guess = detectDelimiter(sample, complete && sample.length === text.length);
  return { format: 'csv', encoding: kind.encoding, ...guess };
}

/** Columns, a few sample rows and a proposed mapping; throws importError for unusable files. */
export async function readHeader(file: string, opts: ReadHeaderOptions = {}): Promise<HeaderPreview> {
  const format = await sniffFile(file);
  const wanted = Math.max(1, opts.sampleRows ?? 10);
  const state: ScanState = {};
  const sample: ImportRecord[] = [];
  for await (const record of scan(file, format, state)) {
    if (sample.push(record) >= wanted) break;
  }
  const layout = state.layout;
  if (!layout) throw importError('contacts.import.empty_file');
  if (sample.length === 0) throw importError('contacts.import.header_only');
  const mapping = autoMap(layout.columns, { sample: sample.map((r) => r.values), defaultCountry: opts.defaultCountry });
  if (phoneColumn(mapping) === undefined) throw importError('contacts.import.no_phone_column');
  return { format, columns: layout.columns, hasHeader: layout.hasHeader, sample, mapping };
}

/** Every data row in file order, from `startAt` on. */
export async function* records(file: string, opts: RecordsOptions = {}): AsyncGenerator<ImportRecord> {
  const format = opts.format ?? (await sniffFile(file));
  const startAt = opts.startAt ?? 0;
  for await (const record of scan(file, format, {})) {
    if (record.rowNumber >= startAt) yield record;
  }
}

interface Layout {
  columns: string[];
  hasHeader: boolean;
  width: number;
}
interface ScanState {
  layout?: Layout;
}

/** Rows → records: finds the header, skips blank rows, aligns cells to columns. */
async function* scan(file: string, format: FileFormat, state: ScanState): AsyncGenerator<ImportRecord> {
  const rows = format.format === 'xlsx' ? xlsxRows(file) : csvRows(file, format);
  let title: RawRow | undefined;
  for await (const row of rows) {
    const filled = row.cells.reduce((n, c) => (c === '' ? n : n + 1), 0);
    if (filled === 0) continue;
    if (!state.layout) {
      // A lone cell above the table is a title ("Clientes 2024"), unless
      // the table itself has a single column: the next row decides.
      if (!title && filled === 1 && !row.cells.some(looksLikeValue)) {
        title = row;
        continue;
      }
      const header = title && filled < 2 ? title : row;
      state.layout = layoutOf(header.cells);
      if (header === row && state.layout.hasHeader) continue;
    }
    yield align(row, state.layout, format.format === 'csv');
  }
  if (!state.layout && title) state.layout = layoutOf(title.cells);
}

/**
 * The first non-blank row is the header unless it already holds a phone
 * number or an e-mail address (files exported without headers). Trailing
 * empty header cells are dropped: spreadsheets often carry formatted but
 * empty columns.
 */
function layoutOf(cells: string[]): Layout {
  const hasHeader = !cells.some(looksLikeValue);
  const width = hasHeader ? lastFilled(cells) : cells.length;
  const columns = hasHeader ? cells.slice(0, width) : cells.map(() => '');
  return { columns, hasHeader, width };
}

function looksLikeValue(cell: string): boolean {
  return looksLikePhone(cell) || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(cell);
}

function lastFilled(cells: string[]): number {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  return n;
}

/**
 * Ragged rows are reported, not dropped: extra non-empty cells usually mean
 * an unquoted delimiter shifted the row (error); missing trailing cells are
 * common in hand-made CSVs and are padded (warning). XLSX rows legitimately
 * end at their last filled cell, so only extra cells count there.
 */
function align(row: RawRow, layout: Layout, csv: boolean): ImportRecord {
  const { width } = layout;
  const cells = row.cells;
  const values = cells.length === width ? cells : cells.slice(0, width);
  while (values.length < width) values.push('');
  const record: ImportRecord = { rowNumber: row.rowNumber, values };
  const filled = lastFilled(cells);
  if (filled > width) {
    record.issue = { code: 'contacts.import.row_extra_columns', severity: 'error', params: { expected: width, found: filled } };
  } else if (csv && cells.length < width) {
    record.issue = { code: 'contacts.import.row_missing_columns', severity: 'warning', params: { expected: width, found: cells.length } };
  }
  return record;
}

async function* csvRows(file: string, format: Extract<FileFormat, { format: 'csv' }>): AsyncGenerator<RawRow> {
  const parser = parse({
    delimiter: format.delimiter,
    bom: true,
    trim: true,
    relax_quotes: true, // a stray quote inside an unquoted field is just a character
    relax_column_count: true, // ragged rows are reported per row by align()
    from_line: format.skipLines + 1,
  });
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = toUtf8(format.encoding);
  const chain: Array<Readable | Transform> = decoder ? [source, decoder, parser] : [source, parser];
  pipeline(chain, () => undefined); // errors surface through the parser's iterator
  // Counting records (blank ones included) gives the row Excel shows, even
  // when a quoted field spans several lines.
  let rowNumber = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells };
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The parser runs ahead of this loop: its own counters locate the fault.
    const { records = rowNumber, lines = 0 } = err as CsvError & { records?: number; lines?: number };
    throw importError('contacts.import.malformed_csv', { row: records + 1, line: lines });
  } finally {
    source.destroy();
  }
}

async function readHead(file: string, max: number): Promise<{ head: Buffer; complete: boolean }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    const { size } = await fh.stat();
    return { head: buf.subarray(0, bytesRead), complete: bytesRead >= size };
  } finally {
    await fh.close();
  }
}
