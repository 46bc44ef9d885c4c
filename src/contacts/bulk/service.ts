// Bulk action use cases shared by the pages and the API: count the audience,
// create a job with the audience frozen at that moment, read and cancel it.
// The work itself is done by the bulk worker (worker.ts, run.ts).
import type { Audit } from '../../audit/context.js';
import type { Deps } from '../../deps.js';
import { Conflict, Invalid, NotFound } from '../../errors.js';
import type { Audience } from '../list-filter.js';
import { countOfQuery } from '../queries.js';
import { contactIdsQuery } from '../segments/compile.js';
import type { Who } from '../service.js';
import { tagByKey, type Tag } from '../tags-queries.js';
import { resolveTags } from '../tags-service.js';
import { startedEntry } from './audit.js';
import { bulkJobById, cancelBulkJob, insertBulkJob, type BulkAction, type BulkJob, type BulkSource, type FrozenAudience } from './jobs.js';
import { nudgeBulkWorker } from './worker.js';

export type BulkInput = { action: BulkAction; tagName?: string };
export type Requester = { who: Who; source: BulkSource; audit: Audit };
/** The compiled audience plus how the user described it (kept on the job). */
export type BulkAudience = Audience & Pick<FrozenAudience, 'query' | 'segment'>;

export async function countMatching(deps: Pick<Deps, 'db'>, a: Audience): Promise<number> {
  return countOfQuery(deps.db, contactIdsQuery(deps.db, a.condition, a.fields, a.opts));
}

/** "tag" creates the tag when new; "untag" needs one that exists. */
async function tagFor(db: Deps['db'], input: BulkInput, now: number): Promise<Tag | undefined> {
  if (input.action !== 'tag' && input.action !== 'untag') return undefined;
  const name = input.tagName?.trim();
  if (!name) throw new Invalid({ tag_name: { code: 'contacts.bulk.tag_required' } });
  if (input.action === 'tag') return (await resolveTags(db, [name], now))[0]!;
  const t = await tagByKey(db, name);
  if (!t) throw new Invalid({ tag_name: { code: 'contacts.tag_not_found' } });
  return t;
}

/**
 * Creates the job with its audience frozen: the contacts matching now, not
 * when the worker gets to them. Returns it queued; the worker is nudged.
 */
export async function createBulkJob(deps: Deps, by: Requester, a: BulkAudience, input: BulkInput): Promise<BulkJob> {
  const now = deps.clock.now();
  const job = await deps.db.transaction(async (trx) => {
    const tag = await tagFor(trx, input, now);
    const matching = contactIdsQuery(trx, a.condition, a.fields, a.opts);
    const id = await insertBulkJob(trx, {
      action: input.action, params: tag ? { tagId: tag.id, tagName: tag.name } : {},
      audience: { condition: a.condition, query: a.query, segment: a.segment }, source: by.source,
      createdBy: by.who.userId, actor: by.who.label, now,
    }, matching);
    const created = (await bulkJobById(trx, id))!;
    await by.audit(trx, startedEntry(created));
    return created;
  });
  nudgeBulkWorker(deps);
  return job;
}

export async function getBulkJob(deps: Pick<Deps, 'db'>, id: number): Promise<BulkJob> {
  const job = await bulkJobById(deps.db, id);
  if (!job) throw new NotFound('contacts.bulk.not_found');
  return job;
}

/** Stops a queued or running job after its current batch; what was committed stays done. */
export async function cancelBulk(deps: Pick<Deps, 'db' | 'clock'>, id: number, audit: Audit): Promise<BulkJob> {
  await getBulkJob(deps, id);
  await deps.db.transaction(async (trx) => {
    if (!(await cancelBulkJob(trx, id, deps.clock.now()))) throw new Conflict('contacts.bulk.not_cancellable');
    const job = (await bulkJobById(trx, id))!;
    await audit(trx, {
      action: 'contacts.bulk_cancelled', entityType: 'bulk_job', entityId: id,
      after: { action: job.action, count: job.total, processed: job.processed, affected: job.affected },
    });
  });
  return getBulkJob(deps, id);
}
