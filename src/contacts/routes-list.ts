// The contacts list (search, filters, sort, keyset pages, the bulk jobs
// running) and the bulk action pages (bulk/routes.ts): a GET states the count
// and asks, the POST with the same filter queues a background job.
import type { Request, Response, Router } from 'express';
import type { Deps } from '../deps.js';
import { can, requireUser } from '../web/guards.js';
import { activeBulkJobs } from './bulk/jobs.js';
import { presentBulkJob } from './bulk/present.js';
import { bulkRoutes } from './bulk/routes.js';
import { customFields } from './fields-queries.js';
import { pageOfContacts } from './list.js';
import { lenientCustomFilters } from './list-custom.js';
import { customFilterPanel } from './list-custom-present.js';
import { filterFromQuery, filterQueryString, isFiltered, ACTIVITIES, type ResolvedFilter } from './list-filter.js';
import { listRows, presentTags, type Fmt } from './present.js';
import { segmentChoices } from './segments/queries.js';
import { allTags } from './tags-queries.js';
import type { SortName } from './queries.js';

export const PAGE_SIZE = 50;
const DEFAULT_DIR: Record<SortName, 'asc' | 'desc'> = { name: 'asc', created: 'desc', updated: 'desc', last_inbound: 'desc', last_outbound: 'desc', phone: 'asc' };

export function fmt(req: Request, res: Response): Fmt {
  return { locale: req.locale, timeZone: res.locals.settings.timezone, t: req.t };
}

/** Column header links: the same filter, this sort, the direction flipped when already sorted by it. */
function sortLinks(r: ResolvedFilter, sort: SortName, dir: 'asc' | 'desc') {
  return Object.fromEntries((['name', 'phone', 'created', 'updated', 'last_inbound'] as const).map((s) => {
    const nextDir = s === sort ? (dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIR[s];
    return [s, { href: `/contacts?${filterQueryString(r.filter, { sort: s, dir: nextDir })}`, aria: s === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' }];
  }));
}

async function listPage(deps: Deps, req: Request, res: Response) {
  // The request context already read the settings: reuse its timezone rather than a second query.
  // Field definitions, tags and segment names come from in-process caches (db/ref-cache.ts).
  const r = await filterFromQuery(deps, req.query, { now: deps.clock.now(), timeZone: res.locals.settings.timezone });
  const sort = r.filter.sort ?? (r.filter.q ? 'name' : 'created');
  const dir = r.filter.dir ?? DEFAULT_DIR[sort];
  const page = await pageOfContacts(deps.db, r.condition, r.fields, { sort, dir, after: r.filter.after, limit: PAGE_SIZE, ...r.opts });
  const [tags, segments, bulk] = await Promise.all([allTags(deps.db), segmentChoices(deps.db), activeBulkJobs(deps.db)]);
  const qs = filterQueryString(r.filter);
  const keep = filterQueryString(r.filter, { sort: r.filter.sort, dir: r.filter.dir });
  return {
    rows: listRows(page.rows, fmt(req, res)), filter: r.filter, filtered: isFiltered(r.filter), segmentName: r.segmentName,
    tags: presentTags(tags), fields: r.fields, segments, activities: ACTIVITIES,
    sort, dir, sorts: sortLinks(r, sort, dir), qs, customPanel: customFilterPanel(r.filter.custom, r.fields, req.t),
    nextHref: page.next ? `/contacts?${keep}${keep ? '&' : ''}after=${encodeURIComponent(page.next)}` : null,
    firstHref: r.filter.after ? `/contacts${keep ? `?${keep}` : ''}` : null,
    exportHref: `/contacts/export${qs ? `?${qs}` : ''}`, filterPairs: [...new URLSearchParams(qs)],
    bulkJobs: bulk.map((j) => presentBulkJob(j, req.t, req.locale, res.locals.settings.timezone)),
    title: req.t('contacts.title'),
  };
}

export function listRoutes(r: Router, deps: Deps): void {
  r.get('/contacts', requireUser, can('contacts:read'), async (req, res) => {
    // A filter that does not parse re-renders an empty list with the field errors
    // (the definitions are cached: filterFromQuery's read below is a hit).
    const fields = await customFields(deps.db);
    res.form('contacts/index', {
      rows: [], tags: [], fields, segments: [], activities: ACTIVITIES, filter: { tag: [], no_tag: [], custom: [] },
      customPanel: customFilterPanel(lenientCustomFilters(req.query), fields, req.t),
      filtered: true, segmentName: null, sorts: {}, qs: '', filterPairs: [], nextHref: null, firstHref: null, exportHref: '/contacts/export', bulkJobs: [],
      title: req.t('contacts.title'),
    });
    res.page('contacts/index', await listPage(deps, req, res));
  });

  bulkRoutes(r, deps);
}
