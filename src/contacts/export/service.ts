// Export use case shared by the page and the API: the list's filter query
// (or a segment) → the matching contacts streamed as .xlsx or .csv, with an
// audit entry saying who exported what and how many rows.
import type { Writable } from 'node:stream';
import type { Audit } from '../../audit/context.js';
import type { Deps } from '../../deps.js';
import type { T } from '../../i18n/i18n.js';
import { filterFromQuery, filterQueryString } from '../list-filter.js';
import { exportColumns, exportFileName } from './columns.js';
import { exportBatches } from './source.js';
import { writeCsv, writeXlsx } from './write.js';

export const FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export type PreparedExport = {
  fileName: string;
  contentType: string;
  /** Writes the file to `out` (ending it) and records the audit entry. */
  write(out: Writable): Promise<number>;
};

/** `segment_id` is the API's name for the list's `segment` parameter. */
export function listQueryOf(query: Record<string, unknown>): Record<string, unknown> {
  const { format: _f, segment_id, delimiter: _d, ...rest } = query;
  return segment_id !== undefined && rest.segment === undefined ? { ...rest, segment: segment_id } : rest;
}

function brandColor(deps: Deps): string {
  const c = deps.brand.get().colors.primary ?? '#1f7a5c';
  return /^#[0-9a-f]{6}$/i.test(c) ? `FF${c.slice(1).toUpperCase()}` : 'FF1F7A5C';
}

/** Validates the filter (Invalid / NotFound before any byte is sent) and returns the writer. */
export async function prepareExport(deps: Deps, query: Record<string, unknown>, format: ExportFormat, t: T, audit: Audit): Promise<PreparedExport> {
  const resolved = await filterFromQuery(deps, listQueryOf(query));
  const { now, timeZone } = resolved.opts;
  const cols = exportColumns(resolved.fields, t, timeZone);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const brand = deps.brand.get().name;
  const delimiter = query.delimiter === 'semicolon' ? ';' : ',';
  return {
    fileName: exportFileName(brand, t, day, format),
    contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    async write(out) {
      const batches = exportBatches(deps.db, { condition: resolved.condition, fields: resolved.fields, now, timeZone });
      const stats = format === 'xlsx'
        ? await writeXlsx(out, cols, batches, { sheet: t('export.sheet'), creator: brand, headerColor: brandColor(deps) })
        : await writeCsv(out, cols, batches, delimiter);
      await audit(deps.db, {
        action: 'contacts.exported', entityType: 'contact',
        after: { format, rows: stats.rows, filter: filterQueryString(resolved.filter), segment: resolved.segmentName },
      });
      return stats.rows;
    },
  };
}
