// The contacts list's query string (search box, filters, sort, cursor) and
// the Condition it stands for. Bulk actions and the export link reuse the
// very same query string, so "all matching" means the same contacts on every
// path: call `filterFromQuery(deps, req.query)` and pass `condition` on.
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { readSettings } from '../settings/service.js';
import { NotFound } from '../errors.js';
import { parse } from '../web/validate.js';
import type { CustomFieldDef } from './custom-values.js';
import { customFields } from './fields-queries.js';
import { customFilterCondition, customFilterPairs, customFiltersOf, type CustomFilter } from './list-custom.js';
import { andOf, OPT_IN_STATES, type Condition } from './segments/condition.js';
import { segmentById } from './segments/queries.js';

export const SORTS = ['name', 'phone', 'created', 'updated', 'last_inbound', 'last_outbound'] as const;
export type SortKey = (typeof SORTS)[number];
export const ACTIVITIES = ['replied_7', 'replied_30', 'replied_90', 'no_reply_30', 'never_messaged', 'messaged'] as const;

const ids = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().positive()).max(20));

const blankable = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const ListQuery = z.object({
  q: blankable(z.string().trim().max(100)),
  tag: ids,
  no_tag: ids,
  opt_in: blankable(z.enum(OPT_IN_STATES)),
  activity: blankable(z.enum(ACTIVITIES)),
  segment: blankable(z.coerce.number().int().positive()),
  sort: blankable(z.enum(SORTS)),
  dir: blankable(z.enum(['asc', 'desc'])),
  after: blankable(z.string().max(300)),
});
/** The parsed query string; `custom` holds the custom field conditions (list-custom.ts: cf<i>/co<i>/cv<i>/cw<i>). */
export type ListFilter = z.infer<typeof ListQuery> & { custom: CustomFilter[] };

/** Query string → filter (Invalid with per-parameter errors when it does not parse). */
export function parseListQuery(query: unknown): ListFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  return { ...parse(ListQuery, q), custom: customFiltersOf(q) };
}

export function activityRule(a: (typeof ACTIVITIES)[number]): Condition {
  switch (a) {
    case 'replied_7': return { field: 'replied_within_days', op: 'within_days', value: 7 };
    case 'replied_30': return { field: 'replied_within_days', op: 'within_days', value: 30 };
    case 'replied_90': return { field: 'replied_within_days', op: 'within_days', value: 90 };
    case 'no_reply_30': return { any: [{ field: 'last_inbound_at', op: 'is_not_set' }, { field: 'last_inbound_at', op: 'before_days', value: 30 }] };
    case 'never_messaged': return { field: 'never_messaged', op: 'eq', value: true };
    case 'messaged': return { field: 'never_messaged', op: 'eq', value: false };
  }
}

/** Pure: the condition for a parsed filter (the segment's definition already loaded). */
export function filterCondition(f: ListFilter, fields: CustomFieldDef[], segment?: Condition): Condition {
  return andOf(
    f.q ? { field: 'search', op: 'contains', value: f.q } : null,
    f.tag.length ? { field: 'tag', op: 'has', value: f.tag } : null,
    f.no_tag.length ? { field: 'tag', op: 'has_not', value: f.no_tag } : null,
    f.opt_in ? { field: 'opt_in', op: 'eq', value: f.opt_in } : null,
    f.activity ? activityRule(f.activity) : null,
    customFilterCondition(f.custom ?? [], fields),
    segment ?? null,
  );
}

/** What the compiler needs besides the tree: the custom field defs, now, and the install's timezone. */
export type Audience = { condition: Condition; fields: CustomFieldDef[]; opts: { now: number; timeZone: string } };
export type ResolvedFilter = Audience & { filter: ListFilter; segmentName: string | null };

type FilterDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'brand'>;

/** Accepts the deps, or just a Db (then "now" is the system clock and the timezone the stored setting, else UTC). */
export async function compileOptions(deps: FilterDeps | Db): Promise<Audience['opts']> {
  if ('clock' in deps) {
    const s = await readSettings(deps.db, { timezone: deps.config.timezone, locale: deps.brand.get().defaultLocale });
    return { now: deps.clock.now(), timeZone: s.timezone };
  }
  const s = await readSettings(deps, { timezone: 'UTC', locale: 'es' });
  return { now: Date.now(), timeZone: s.timezone };
}

/**
 * Query string → filter + condition + what compiling it needs. Export and bulk
 * actions call this with the list's query string to get the same contacts:
 *   const a = await filterFromQuery(deps, req.query);
 *   contactIdsQuery(db, a.condition, a.fields, a.opts)
 */
export async function filterFromQuery(deps: FilterDeps | Db, query: unknown, opts?: Audience['opts']): Promise<ResolvedFilter> {
  const db = 'clock' in deps ? deps.db : deps;
  const filter = parseListQuery(query);
  const fields = await customFields(db);
  let segment: Condition | undefined;
  let segmentName: string | null = null;
  if (filter.segment) {
    const s = await segmentById(db, filter.segment);
    if (!s) throw new NotFound('segments.not_found');
    segment = s.definition;
    segmentName = s.name;
  }
  return { filter, condition: filterCondition(filter, fields, segment), fields, segmentName, opts: opts ?? (await compileOptions(deps)) };
}

/** The filter as a query string (sort and cursor left out unless asked), for links that keep it. */
export function filterQueryString(f: ListFilter, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const t of f.tag) p.append('tag', String(t));
  for (const t of f.no_tag) p.append('no_tag', String(t));
  for (const k of ['opt_in', 'activity', 'segment'] as const) if (f[k] !== undefined) p.set(k, String(f[k]));
  for (const [k, v] of customFilterPairs(f.custom ?? [])) p.append(k, v);
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p.toString();
}

export function isFiltered(f: ListFilter): boolean {
  return !!(f.q || f.tag.length || f.no_tag.length || f.opt_in || f.activity || f.segment || f.custom?.length);
}
