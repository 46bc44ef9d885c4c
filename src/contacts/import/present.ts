// Import jobs and previews as the pages (and the progress JSON) show them.
import { formatDateTime } from '../../i18n/dates.js';
import type { Locale, T } from '../../i18n/i18n.js';
import type { CustomFieldDef } from '../custom-values.js';
import { FIXED_TARGETS } from '../column-mapping.js';
import type { HeaderPreview } from '../import-reader.js';
import { countriesWithTimezone } from '../timezone.js';
import { json } from '../../db/rows.js';
import type { ImportJob } from './jobs.js';

export type JobView = {
  id: number; status: string; statusLabel: string; file: string; done: boolean; active: boolean;
  processed: number; total: number | null; percent: number | null; progressText: string;
  inserted: number; updated: number; skipped: number; rejected: number; hasRejectedFile: boolean;
  error: string | null; created: string; summary: string;
};

function errorText(t: T, error: string | null): string | null {
  if (!error) return null;
  const e = json<{ code?: string; params?: Record<string, string | number> }>(error, {});
  return e.code ? t(e.code, e.params) : t('import.failed_internal');
}

/** Rows expected: the estimate (never below what is already done); null while unknown. */
export function totalOf(job: ImportJob): number | null {
  return job.totalRows === null ? null : Math.max(job.totalRows, job.nextRow);
}

/** 0–99 while the job runs (the total is an estimate), 100 once done; null while the total is unknown. */
export function percentOf(job: ImportJob): number | null {
  const total = totalOf(job);
  return job.status === 'done' ? 100 : total ? Math.min(99, Math.floor((job.nextRow / total) * 100)) : null;
}

export function presentJob(job: ImportJob, t: T, locale: Locale, timeZone: string): JobView {
  const done = ['done', 'failed', 'cancelled'].includes(job.status);
  const total = totalOf(job);
  const percent = percentOf(job);
  const fmt = (n: number) => n.toLocaleString(locale === 'es' ? 'es-MX' : 'en-US');
  const counts = { inserted: fmt(job.inserted), updated: fmt(job.updated), skipped: fmt(job.skipped), rejected: fmt(job.rejected) };
  return {
    id: job.id, status: job.status, statusLabel: t(`import.status.${job.status}`), file: job.originalName, done,
    active: job.status === 'queued' || job.status === 'running',
    processed: job.nextRow, total, percent,
    progressText: total === null ? t('import.progress.processed_unknown', { done: fmt(job.nextRow) }) : t('import.progress.processed', { done: fmt(job.nextRow), total: fmt(total) }),
    inserted: job.inserted, updated: job.updated, skipped: job.skipped, rejected: job.rejected,
    hasRejectedFile: job.rejected > 0 && !!job.rejectedPath,
    error: errorText(t, job.error), created: formatDateTime(job.createdAt, locale, timeZone),
    summary: job.status === 'done' ? t('import.progress.done', { ...counts, total: fmt(job.nextRow) }) : t('import.result', counts),
  };
}

/** The small JSON public/js/import.js polls. */
export function progressJson(v: JobView) {
  return {
    status: v.status, status_label: v.statusLabel, done: v.done, processed: v.processed, total: v.total, percent: v.percent,
    progress_text: v.progressText, inserted: v.inserted, updated: v.updated, skipped: v.skipped, rejected: v.rejected,
    summary: v.summary, error: v.error, rejected_url: v.hasRejectedFile && v.done ? `/contacts/import/${v.id}/rejected.csv` : null,
  };
}

export type TargetGroup = { label: string; options: Array<{ value: string; label: string }> };

/**
 * The choices of every column's select: fields, existing custom fields,
 * proposed new ones (labelled with the file's header, as the field will be
 * named), ignore.
 */
export function targetGroups(t: T, fields: CustomFieldDef[], columns: Array<{ target: string; header: string }>): TargetGroup[] {
  const fixed = FIXED_TARGETS.filter((x) => x !== 'ignore').map((x) => ({ value: x, label: t(`import.target.${x}`) }));
  const known = new Set(fields.map((f) => `custom:${f.key}`));
  const fresh = new Map<string, string>();
  for (const c of columns) {
    if (c.target.startsWith('custom:') && !known.has(c.target) && !fresh.has(c.target)) fresh.set(c.target, c.header.trim() || c.target.slice(7));
  }
  return [
    { label: '', options: [{ value: 'ignore', label: t('import.target.ignore') }] },
    { label: t('import.group.fields'), options: fixed },
    { label: t('import.group.custom'), options: fields.map((f) => ({ value: `custom:${f.key}`, label: f.label })) },
    { label: t('import.group.new_custom'), options: [...fresh].map(([value, label]) => ({ value, label })) },
  ].filter((g) => g.options.length);
}

export function countryOptions(t: T, locale: Locale): Array<{ value: string; label: string }> {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const list = countriesWithTimezone().map((c) => ({ value: c, label: `${names.of(c) ?? c} (${c})` }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
  return [{ value: '', label: t('import.preview.country_none') }, ...list];
}

export type PreviewColumn = { index: number; name: string; header: string; target: string; samples: string[] };

export function previewColumns(t: T, job: ImportJob, preview: HeaderPreview): PreviewColumn[] {
  return job.mapping.columns.map((c, i) => ({
    index: i, name: `map_${i}`, header: c.header || t('import.preview.no_header', { n: i + 1 }), target: c.target,
    samples: preview.sample.slice(0, 3).map((r) => r.values[c.index] ?? '').filter(Boolean),
  }));
}
