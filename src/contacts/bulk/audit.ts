// Audit entries of a bulk job: who asked for which action on how many
// contacts (at confirmation), and what it changed (when it ends). The entries
// name the job and the audience definition, never the contacts.
import { auditAs } from '../../audit/context.js';
import type { Actor } from '../../audit/service.js';
import type { Deps } from '../../deps.js';
import type { Db } from '../../db/knex.js';
import type { BulkJob, BulkProgress } from './jobs.js';

/** The requester, as the job acts on their behalf after the request is gone. */
export function requesterOf(job: BulkJob): Actor {
  return { userId: job.createdBy, label: job.actor, ip: null, requestId: null };
}

export function startedEntry(job: BulkJob) {
  return {
    action: `contacts.bulk_${job.action}`, entityType: 'bulk_job', entityId: job.id,
    after: { count: job.total, ...(job.params.tagName ? { tag: job.params.tagName } : {}), filter: job.audience.query, condition: job.audience.condition },
  };
}

export async function recordFinished(deps: Pick<Deps, 'db' | 'clock'>, job: BulkJob, p: BulkProgress, db: Db = deps.db): Promise<void> {
  await auditAs(requesterOf(job), deps.clock)(db, {
    action: 'contacts.bulk_done', entityType: 'bulk_job', entityId: job.id,
    after: { action: job.action, count: job.total, processed: p.processed, affected: p.affected },
  });
}
