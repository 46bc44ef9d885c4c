// The columns of a contacts export (Excel and CSV share them): the standard
// fields, tags joined, then one column per custom field in display order.
// Each column turns a contact row into a cell value: text, number or a Date
// already shifted to the install's wall clock (Excel dates have no zone).
import { zoneOffset } from '../../i18n/dates.js';
import type { T } from '../../i18n/i18n.js';
import type { CustomFieldDef } from '../custom-values.js';

export type CellKind = 'text' | 'phone' | 'number' | 'datetime' | 'date';
export type Cell = string | number | Date | null;
export type ExportRow = Record<string, unknown> & { id: number; tags: string[]; customValues: Record<string, unknown> };
export type ExportColumn = { key: string; header: string; kind: CellKind; width: number; value(row: ExportRow): Cell };

const HOUR = 3_600_000;

/** Epoch ms → Date whose UTC fields read as the wall clock of `timeZone` (offset cached per hour). */
export function wallClock(timeZone: string): (ms: unknown) => Date | null {
  const cache = new Map<number, number>();
  return (ms) => {
    if (ms === null || ms === undefined || ms === '') return null;
    const at = Number(ms);
    const hour = Math.floor(at / HOUR);
    let off = cache.get(hour);
    if (off === undefined) {
      off = zoneOffset(hour * HOUR, timeZone);
      cache.set(hour, off);
    }
    return new Date(at + off);
  };
}

function text(v: unknown): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

function customCell(f: CustomFieldDef, v: unknown, t: T): Cell {
  if (v === null || v === undefined || v === '') return null;
  switch (f.type) {
    case 'number': return typeof v === 'number' ? v : Number(v);
    case 'date': return /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? new Date(`${v}T00:00:00Z`) : String(v);
    case 'boolean': return t(v === true || v === 'true' ? 'export.yes' : 'export.no');
    case 'multiselect': return Array.isArray(v) ? v.join(', ') : String(v);
    default: return String(v);
  }
}

function kindOf(f: CustomFieldDef): CellKind {
  return f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text';
}

/** Column width in characters: room for the header (bold) and for typical values of the kind, at most 40. */
function widthFor(header: string, typical: number): number {
  return Math.min(40, Math.max(typical, Math.ceil(header.length * 1.1) + 2));
}
const CUSTOM_WIDTH: Record<string, number> = { number: 12, date: 12, boolean: 8, select: 18, multiselect: 24, text: 24 };

export function exportColumns(fields: CustomFieldDef[], t: T, timeZone: string): ExportColumn[] {
  const when = wallClock(timeZone);
  const col = (key: string, kind: CellKind, width: number, value: ExportColumn['value']): ExportColumn => {
    const header = t(`export.col.${key}`);
    return { key, header, kind, width: widthFor(header, width), value };
  };
  const std: ExportColumn[] = [
    col('phone', 'phone', 18, (r) => text(r.phone)),
    col('first_name', 'text', 16, (r) => text(r.first_name)),
    col('last_name', 'text', 18, (r) => text(r.last_name)),
    col('display_name', 'text', 24, (r) => text(r.display_name)),
    col('email', 'text', 28, (r) => text(r.email)),
    col('country', 'text', 8, (r) => text(r.country)),
    col('language', 'text', 8, (r) => text(r.language)),
    col('timezone', 'text', 22, (r) => text(r.timezone)),
    col('opt_in', 'text', 14, (r) => t(`export.opt_in.${String(r.opt_in)}`)),
    col('opt_in_source', 'text', 12, (r) => text(r.opt_in_source)),
    col('opt_in_at', 'datetime', 17, (r) => when(r.opt_in_at)),
    col('tags', 'text', 24, (r) => (r.tags.length ? r.tags.join(', ') : null)),
    col('created_at', 'datetime', 17, (r) => when(r.created_at)),
    col('updated_at', 'datetime', 17, (r) => when(r.updated_at)),
    col('last_inbound_at', 'datetime', 17, (r) => when(r.last_inbound_at)),
    col('last_outbound_at', 'datetime', 17, (r) => when(r.last_outbound_at)),
  ];
  const custom = fields.map((f): ExportColumn => ({
    key: `custom:${f.key}`, header: f.label, kind: kindOf(f), width: widthFor(f.label, CUSTOM_WIDTH[f.type] ?? 24),
    value: (r) => customCell(f, r.customValues[f.key], t),
  }));
  return [...std, ...custom];
}

/** `Brand-contactos-2026-11-24.xlsx`: the brand's name, safe for every file system. */
export function exportFileName(brandName: string, t: T, day: string, ext: 'xlsx' | 'csv'): string {
  return `${safeBrand(brandName)}-${t('export.file_word')}-${day}.${ext}`;
}

/** The brand's name as a file-name part: no path or reserved characters, spaces as dashes. */
export function safeBrand(brandName: string): string {
  return brandName.normalize('NFC').replace(/[\\/:*?"<>|\x00-\x1f]+/g, '').replace(/\s+/g, '-').slice(0, 60) || 'export';
}
