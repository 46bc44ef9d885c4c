// POST /api/v1/contacts/bulk queues a bulk action on every contact matching
// the list's filters (or a segment, or a condition tree); GET …/bulk/{id}
// follows it; POST …/bulk/{id}/cancel stops it. Same service as the pages.
import { z } from 'zod';
import { assertScope } from '../../api/auth.js';
import type { ApiFeature } from '../../api/registry.js';
import { IdParams, iso, IsoDateTime } from '../../api/schemas.js';
import type { Deps } from '../../deps.js';
import { json } from '../../db/rows.js';
import type { T } from '../../i18n/i18n.js';
import { queryCondition } from '../api.js';
import { customFields } from '../fields-queries.js';
import { compileOptions } from '../list-filter.js';
import { TagName } from '../schema.js';
import { andOf, ConditionSchema, OPT_IN_STATES } from '../segments/condition.js';
import { segmentById } from '../segments/queries.js';
import { BULK_ACTIONS, BULK_STATUSES, type BulkAction, type BulkJob } from './jobs.js';
import { cancelBulk, createBulkJob, getBulkJob, type BulkAudience } from './service.js';

const ApiBulkJob = z.object({
  id: z.number().int(),
  action: z.enum(BULK_ACTIONS),
  status: z.enum(BULK_STATUSES),
  tag: z.string().nullable(),
  total: z.number().int().meta({ description: 'Contacts that matched when the job was created: the job acts on exactly these.' }),
  processed: z.number().int(),
  affected: z.number().int().meta({ description: 'Contacts the action changed (already tagged or opted-out contacts are left as they were).' }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: IsoDateTime,
  started_at: IsoDateTime.nullable(),
  finished_at: IsoDateTime.nullable(),
});

const BulkBody = z.object({
  action: z.enum(BULK_ACTIONS).meta({ description: '`delete` needs the contacts:delete scope as well.' }),
  tag_name: TagName.optional().meta({ description: 'For `tag` (created when new) and `untag` (must exist).' }),
  q: z.string().trim().max(100).optional().meta({ description: 'Name fragment, phone prefix or e-mail, as in GET /contacts.' }),
  tag: z.string().trim().max(60).optional().meta({ description: 'Only contacts with this tag (by name).' }),
  opt_in: z.enum(OPT_IN_STATES).optional(),
  segment_id: z.number().int().positive().optional().meta({ description: 'Only contacts in this saved segment.' }),
  condition: ConditionSchema.optional().meta({ description: 'A condition tree like a segment definition, combined with the other filters by AND.' }),
});
type BulkBody = z.infer<typeof BulkBody>;

function presentApiBulk(job: BulkJob, t: T): z.input<typeof ApiBulkJob> {
  const err = job.status === 'failed' && job.error ? json<{ code?: string; params?: Record<string, string | number> }>(job.error, {}) : null;
  const code = err?.code ?? 'contacts.bulk.failed_internal';
  const d = (v: number | null) => iso(v === null ? null : new Date(v));
  return {
    id: job.id, action: job.action, status: job.status, tag: job.params.tagName ?? null, total: job.total, processed: job.processed,
    affected: job.affected, error: err ? { code, message: t(code, err.params) } : null,
    created_at: iso(new Date(job.createdAt)), started_at: d(job.startedAt), finished_at: d(job.finishedAt),
  };
}

async function audienceOf(deps: Deps, body: BulkBody): Promise<BulkAudience> {
  const segment = body.segment_id ? await segmentById(deps.db, body.segment_id) : undefined;
  const condition = andOf(await queryCondition(deps, body), body.condition ?? null);
  return {
    condition, fields: await customFields(deps.db), opts: await compileOptions(deps),
    query: '', segment: segment ? { id: segment.id, name: segment.name } : null,
  };
}

const scopeFor = (action: BulkAction) => (action === 'delete' ? 'contacts:delete' as const : 'contacts:write' as const);

export const bulkApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'post', path: '/contacts/bulk', summary: 'Tag, untag, opt out or delete every matching contact', tags: ['contacts'], scope: 'contacts:write', status: 202,
    description: 'Queues a background job over every contact the filters match at this moment (no filter: every contact). ' +
      'The audience is frozen when the job is created; follow it with GET /contacts/bulk/{id}. To export the same contacts, use GET /contacts/export.',
    body: BulkBody, response: ApiBulkJob,
    handler: async ({ body, req, key }) => {
      assertScope(key, scopeFor(body.action));
      const job = await createBulkJob(deps, { who: req.actor, source: 'api', audit: req.audit }, await audienceOf(deps, body), {
        action: body.action, tagName: body.tag_name,
      });
      return presentApiBulk(job, req.t);
    },
  });

  apiRoute({
    method: 'get', path: '/contacts/bulk/{id}', summary: 'Get a bulk action\'s progress', tags: ['contacts'], scope: 'contacts:read',
    params: IdParams, response: ApiBulkJob,
    handler: async ({ params, req }) => presentApiBulk(await getBulkJob(deps, params.id), req.t),
  });

  apiRoute({
    method: 'post', path: '/contacts/bulk/{id}/cancel', summary: 'Cancel a bulk action', tags: ['contacts'], scope: 'contacts:write',
    description: 'Stops the job after its current batch; contacts already processed stay changed. 409 when it has already ended.',
    params: IdParams, response: ApiBulkJob,
    handler: async ({ params, req, key }) => {
      assertScope(key, scopeFor((await getBulkJob(deps, params.id)).action));
      return presentApiBulk(await cancelBulk(deps, params.id, req.audit), req.t);
    },
  });
};
