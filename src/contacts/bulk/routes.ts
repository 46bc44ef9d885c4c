// Bulk action pages: a GET states the action and the exact count of matching
// contacts and asks; the POST with the same filter creates the job (the
// audience frozen at that moment) and leads to its progress page, which
// polls status.json (public/js/bulk.js) and offers to cancel.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { Forbidden, Invalid } from '../../errors.js';
import { roleHas } from '../../users/permissions.js';
import { can, requireUser } from '../../web/guards.js';
import { parse } from '../../web/validate.js';
import { filterFromQuery, filterQueryString } from '../list-filter.js';
import { BULK_ACTIONS, type BulkAction, type BulkJob } from './jobs.js';
import { bulkProgressJson, presentBulkJob } from './present.js';
import { cancelBulk, countMatching, createBulkJob, getBulkJob } from './service.js';

const BulkQuery = z.object({
  action: z.enum(BULK_ACTIONS),
  tag_name: z.string().trim().max(60).optional(),
});
const IdParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });

/** Deleting needs contacts:delete (managers and up); the other actions contacts:write. */
export function bulkPermission(action: BulkAction) {
  return action === 'delete' ? 'contacts:delete' as const : 'contacts:write' as const;
}

function assertMayBulk(req: Request, action: BulkAction): void {
  if (!roleHas(req.user!.role, bulkPermission(action))) throw new Forbidden('errors.forbidden');
}

/** The confirmation page's data: the action, the exact count of matching contacts, the filter to carry. */
async function confirmPage(deps: Deps, req: Request, res: Response, source: Record<string, unknown>) {
  const input = parse(BulkQuery, source);
  assertMayBulk(req, input.action);
  const audience = await filterFromQuery(deps, source, { now: deps.clock.now(), timeZone: res.locals.settings.timezone });
  const qs = filterQueryString(audience.filter);
  const data = {
    action: input.action, count: await countMatching(deps, audience), tagName: input.tag_name ?? '', qs,
    filterPairs: [...new URLSearchParams(qs)], segmentName: audience.segmentName, title: req.t('contacts.bulk.title'),
  };
  return { input, audience, data, qs };
}

function view(req: Request, res: Response, job: BulkJob) {
  return presentBulkJob(job, req.t, req.locale, String(res.locals.settings?.timezone ?? 'UTC'));
}

export function bulkRoutes(r: Router, deps: Deps): void {
  r.get('/contacts/bulk', requireUser, can('contacts:write'), async (req, res) => {
    res.page('contacts/bulk', (await confirmPage(deps, req, res, req.query as Record<string, unknown>)).data);
  });

  r.post('/contacts/bulk', requireUser, can('contacts:write'), async (req, res) => {
    const { input, audience, data, qs } = await confirmPage(deps, req, res, req.body as Record<string, unknown>);
    res.form('contacts/bulk', data);
    if ((input.action === 'tag' || input.action === 'untag') && !input.tag_name) throw new Invalid({ tag_name: { code: 'contacts.bulk.tag_required' } });
    const segment = audience.filter.segment && audience.segmentName ? { id: audience.filter.segment, name: audience.segmentName } : null;
    const job = await createBulkJob(deps, { who: req.actor, source: 'web', audit: req.audit }, { ...audience, query: qs, segment }, {
      action: input.action, tagName: input.tag_name,
    });
    res.redirect(303, `/contacts/bulk/${job.id}`);
  });

  r.get('/contacts/bulk/:id', requireUser, can('contacts:read'), async (req, res) => {
    const job = await getBulkJob(deps, parse(IdParam, req.params).id);
    const v = view(req, res, job);
    res.page('contacts/bulk-job', {
      title: req.t(`contacts.bulk.confirm_title.${job.action}`), job: v, progress: bulkProgressJson(v),
      mayCancel: v.active && roleHas(req.user!.role, bulkPermission(job.action)),
    });
  });

  r.get('/contacts/bulk/:id/status.json', requireUser, can('contacts:read'), async (req, res) => {
    const job = await getBulkJob(deps, parse(IdParam, req.params).id);
    res.set('Cache-Control', 'no-store').json(bulkProgressJson(view(req, res, job)));
  });

  r.post('/contacts/bulk/:id/cancel', requireUser, can('contacts:write'), async (req, res) => {
    const id = parse(IdParam, req.params).id;
    assertMayBulk(req, (await getBulkJob(deps, id)).action);
    await cancelBulk(deps, id, req.audit);
    req.flash('info', 'contacts.bulk.job.cancelled');
    res.redirect(303, `/contacts/bulk/${id}`);
  });
}
