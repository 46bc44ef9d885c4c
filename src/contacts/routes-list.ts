// The contacts list (search, filters, sort, keyset pages) and bulk actions on
// every contact the filter matches: a GET states the count and asks, the POST
// with the same filter applies.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { Forbidden, Invalid } from '../errors.js';
import { roleHas } from '../users/permissions.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { BULK_ACTIONS, countMatching, runBulk, type BulkAction } from './bulk.js';
import { customFields } from './fields-queries.js';
import { pageOfContacts } from './list.js';
import { filterFromQuery, filterQueryString, isFiltered, ACTIVITIES, type ResolvedFilter } from './list-filter.js';
import { listRows, presentTags, type Fmt } from './present.js';
import { allSegments } from './segments/queries.js';
import { allTags } from './tags-queries.js';
import type { SortName } from './queries.js';

export const PAGE_SIZE = 50;
const DEFAULT_DIR: Record<SortName, 'asc' | 'desc'> = { name: 'asc', created: 'desc', updated: 'desc', last_inbound: 'desc' };

export function fmt(req: Request, res: Response): Fmt {
  return { locale: req.locale, timeZone: res.locals.settings.timezone, t: req.t };
}

/** Column header links: the same filter, this sort, the direction flipped when already sorted by it. */
function sortLinks(r: ResolvedFilter, sort: SortName, dir: 'asc' | 'desc') {
  return Object.fromEntries((['name', 'created', 'updated', 'last_inbound'] as const).map((s) => {
    const nextDir = s === sort ? (dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIR[s];
    return [s, { href: `/contacts?${filterQueryString(r.filter, { sort: s, dir: nextDir })}`, aria: s === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' }];
  }));
}

async function listPage(deps: Deps, req: Request, res: Response) {
  // The request context already read the settings: reuse its timezone rather than a second query.
  const r = await filterFromQuery(deps, req.query, { now: deps.clock.now(), timeZone: res.locals.settings.timezone });
  const sort = r.filter.sort ?? (r.filter.q ? 'name' : 'created');
  const dir = r.filter.dir ?? DEFAULT_DIR[sort];
  const page = await pageOfContacts(deps.db, r.condition, r.fields, { sort, dir, after: r.filter.after, limit: PAGE_SIZE, ...r.opts });
  const [tags, segments] = await Promise.all([allTags(deps.db), allSegments(deps.db)]);
  const qs = filterQueryString(r.filter);
  const keep = filterQueryString(r.filter, { sort: r.filter.sort, dir: r.filter.dir });
  return {
    rows: listRows(page.rows, fmt(req, res)), filter: r.filter, filtered: isFiltered(r.filter), segmentName: r.segmentName,
    tags: presentTags(tags), fields: r.fields, segments: segments.map((s) => ({ id: s.id, name: s.name })), activities: ACTIVITIES,
    sort, dir, sorts: sortLinks(r, sort, dir), qs,
    nextHref: page.next ? `/contacts?${keep}${keep ? '&' : ''}after=${encodeURIComponent(page.next)}` : null,
    firstHref: r.filter.after ? `/contacts${keep ? `?${keep}` : ''}` : null,
    exportHref: `/contacts/export${qs ? `?${qs}` : ''}`, filterPairs: [...new URLSearchParams(qs)],
    title: req.t('contacts.title'),
  };
}

const BulkQuery = z.object({
  action: z.enum(BULK_ACTIONS),
  tag_name: z.string().trim().max(60).optional(),
});

/** Deleting needs contacts:delete (managers and up); the other actions contacts:write. */
function assertMayBulk(req: Request, action: BulkAction): void {
  if (!roleHas(req.user!.role, action === 'delete' ? 'contacts:delete' : 'contacts:write')) throw new Forbidden('errors.forbidden');
}

/** The confirmation page's data: the action, the exact count of matching contacts, the filter to carry. */
async function bulkPage(deps: Deps, req: Request, source: Record<string, unknown>) {
  const input = parse(BulkQuery, source);
  assertMayBulk(req, input.action);
  const audience = await filterFromQuery(deps, source);
  const qs = filterQueryString(audience.filter);
  const data = {
    action: input.action, count: await countMatching(deps, audience), tagName: input.tag_name ?? '', qs,
    filterPairs: [...new URLSearchParams(qs)], segmentName: audience.segmentName, title: req.t('contacts.bulk.title'),
  };
  return { input, audience, data };
}

export function listRoutes(r: Router, deps: Deps): void {
  r.get('/contacts', requireUser, can('contacts:read'), async (req, res) => {
    // A filter that does not parse re-renders an empty list with the field errors.
    res.form('contacts/index', {
      rows: [], tags: [], fields: await customFields(deps.db), segments: [], activities: ACTIVITIES, filter: { tag: [], no_tag: [] },
      filtered: true, segmentName: null, sorts: {}, qs: '', filterPairs: [], nextHref: null, firstHref: null, exportHref: '/contacts/export',
      title: req.t('contacts.title'),
    });
    res.page('contacts/index', await listPage(deps, req, res));
  });

  r.get('/contacts/bulk', requireUser, can('contacts:write'), async (req, res) => {
    res.page('contacts/bulk', (await bulkPage(deps, req, req.query as Record<string, unknown>)).data);
  });

  r.post('/contacts/bulk', requireUser, can('contacts:write'), async (req, res) => {
    const { input, audience, data } = await bulkPage(deps, req, req.body as Record<string, unknown>);
    res.form('contacts/bulk', data);
    if ((input.action === 'tag' || input.action === 'untag') && !input.tag_name) throw new Invalid({ tag_name: { code: 'contacts.bulk.tag_required' } });
    const n = await runBulk(deps, req.actor, audience, { action: input.action, tagName: input.tag_name }, req.audit);
    req.flash('success', `contacts.bulk.done.${input.action}`, { count: n });
    const qs = input.action === 'delete' ? '' : data.qs;
    res.redirect(`/contacts${qs ? `?${qs}` : ''}`);
  });
}
