// Bulk jobs as the pages show them, and the small progress JSON that
// public/js/bulk.js polls.
import { json } from '../../db/rows.js';
import { formatDateTime } from '../../i18n/dates.js';
import type { Locale, T } from '../../i18n/i18n.js';
import type { BulkJob } from './jobs.js';

export type BulkJobView = {
  id: number; action: string; actionLabel: string; status: string; statusLabel: string; done: boolean; active: boolean;
  total: number; processed: number; affected: number; percent: number; progressText: string; summary: string;
  /** The three counters as the page shows them (grouped digits in the reader's locale). */
  counts: { total: string; processed: string; affected: string };
  error: string | null; created: string; listHref: string; segmentName: string | null; tagName: string;
};

/** A stored failure ({code, params} JSON) in the reader's language. */
export function errorText(t: T, error: string | null): string | null {
  if (!error) return null;
  const e = json<{ code?: string; params?: Record<string, string | number> }>(error, {});
  return t(e.code ?? 'contacts.bulk.failed_internal', e.params);
}

export function presentBulkJob(job: BulkJob, t: T, locale: Locale, timeZone: string): BulkJobView {
  const fmt = (n: number) => n.toLocaleString(locale === 'es' ? 'es-MX' : 'en-US');
  const done = job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';
  const percent = job.status === 'done' || job.total === 0 ? 100 : Math.min(99, Math.floor((job.processed / job.total) * 100));
  const tag = job.params.tagName ?? '';
  const counts = { processed: fmt(job.processed), total: fmt(job.total), affected: fmt(job.affected), tag };
  return {
    id: job.id, action: job.action, actionLabel: t(`contacts.bulk.action.${job.action}`), status: job.status,
    statusLabel: t(`contacts.bulk.status.${job.status}`), done, active: !done,
    total: job.total, processed: job.processed, affected: job.affected, percent,
    counts: { total: counts.total, processed: counts.processed, affected: counts.affected },
    progressText: t('contacts.bulk.job.progress', counts),
    summary: job.status === 'done' ? t(`contacts.bulk.job.done.${job.action}`, counts)
      : job.status === 'cancelled' ? t('contacts.bulk.job.cancelled_summary', counts) : '',
    error: job.status === 'failed' ? errorText(t, job.error) : null,
    created: formatDateTime(job.createdAt, locale, timeZone),
    listHref: `/contacts${job.audience.query ? `?${job.audience.query}` : ''}`,
    segmentName: job.audience.segment?.name ?? null, tagName: tag,
  };
}

export function bulkProgressJson(v: BulkJobView) {
  return {
    status: v.status, status_label: v.statusLabel, done: v.done, total: v.total, processed: v.processed, affected: v.affected,
    counts: v.counts, percent: v.percent, progress_text: v.progressText, summary: v.summary, error: v.error,
  };
}
