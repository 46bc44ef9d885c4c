// GET /api/v1/contacts: the contacts list page's filters and sorts for API
// clients. Tags go by name; custom field conditions use the list page's own
// query-string contract (cf<i>/co<i>/cv<i>/cw<i>, list-custom.ts), so a URL
// from the list page's filter panel works here unchanged; `condition` takes a
// whole tree like a segment definition. Keyset pages in any sort, including
// the nullable last-message times (rows with a value first, then the rest).
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../api/pagination.js';
import { IsoDateTime } from '../api/schemas.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import type { CustomFieldDef } from './custom-values.js';
import { customFilterCondition, customFiltersOf, LIST_CUSTOM_OPS, MAX_CUSTOM_FILTERS } from './list-custom.js';
import { ACTIVITIES, activityRule, SORTS } from './list-filter.js';
import { decodeListCursor } from './list.js';
import type { Dir, SortName } from './queries.js';
import { andOf, ConditionSchema, OPT_IN_STATES, type Condition } from './segments/condition.js';
import { segmentById } from './segments/queries.js';
import { tagByKey } from './tags-queries.js';

const names = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(60)).max(20));

const JsonCondition = z.string().max(20_000).transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'segments.bad_json' });
    return z.NEVER;
  }
}).pipe(ConditionSchema);

export const ContactsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(500).optional().meta({ description: 'The `next_cursor` of the previous page (of the same sort and direction).' }),
  sort: z.enum(SORTS).optional().meta({ description: 'Order, as on the list page: name, phone, created (default), updated (default with `updated_since`), last_inbound (last reply), last_outbound (last message sent). Contacts without a last-message time come after those with one, in either direction.' }),
  dir: z.enum(['asc', 'desc']).default('asc'),
  q: z.string().trim().max(100).optional().meta({ description: 'Name fragment (accents optional), phone prefix (+52155…) or e-mail.' }),
  tag: names.meta({ description: 'Only contacts with any of these tags (by name; repeat the parameter for several).' }),
  no_tag: names.meta({ description: 'Only contacts with none of these tags (by name; repeatable).' }),
  opt_in: z.enum(OPT_IN_STATES).optional(),
  activity: z.enum(ACTIVITIES).optional().meta({ description: 'replied_7/30/90 (replied in the last days), no_reply_30, never_messaged, messaged.' }),
  segment_id: z.coerce.number().int().positive().optional().meta({ description: 'Only contacts in this saved segment.' }),
  updated_since: IsoDateTime.optional().meta({ description: 'Only contacts changed at or after this instant.' }),
  condition: JsonCondition.optional().meta({ description: 'A condition tree as JSON, like a segment definition (`{"all":[{"field":"custom:plan","op":"eq","value":"Premium"}]}`); combined with the other filters by AND.' }),
  cf1: z.string().optional().meta({ description: `Custom field condition 1: the field key. Conditions 2…${MAX_CUSTOM_FILTERS} use cf2/co2/cv2/cw2 and so on; all must match.` }),
  co1: z.enum(LIST_CUSTOM_OPS).optional().meta({ description: 'Its comparison: contains / eq (text), range / eq (number, date), eq (boolean: true/false), in (select, multiselect), is_set, is_not_set.' }),
  cv1: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'Its value; the start of a range; repeat it for `in`.' }),
  cw1: z.string().optional().meta({ description: 'The end of a range (either end may be left out).' }),
}).loose();
export type ContactsQuery = z.infer<typeof ContactsQuery>;

/** The filters `queryCondition` reads (POST /contacts/bulk passes its body's subset). */
export type QueryFilters = Partial<Pick<ContactsQuery, 'q' | 'opt_in' | 'activity' | 'segment_id' | 'updated_since'>> & {
  tag?: string | string[]; no_tag?: string[];
};

async function tagIds(deps: Deps, list: string[]): Promise<number[]> {
  const found = await Promise.all(list.map((n) => tagByKey(deps.db, n)));
  return found.filter((t) => t !== undefined).map((t) => t.id);
}

/** The list's filters as a condition (also the audience of POST /contacts/bulk). `custom`: the raw query for cf<i>…. */
export async function queryCondition(deps: Deps, q: QueryFilters, fields?: CustomFieldDef[], custom?: Record<string, unknown>): Promise<Condition> {
  let segment: Condition | undefined;
  if (q.segment_id) {
    const s = await segmentById(deps.db, q.segment_id);
    if (!s) throw new NotFound('segments.not_found');
    segment = s.definition;
  }
  const wanted = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : [q.tag];
  const has = await tagIds(deps, wanted);
  const hasNot = await tagIds(deps, q.no_tag ?? []);
  return andOf(
    q.q ? { field: 'search', op: 'contains', value: q.q } : null,
    // Unknown tag names match nobody; an unknown tag to exclude excludes nobody.
    wanted.length ? (has.length ? { field: 'tag', op: 'has', value: has } : { any: [] }) : null,
    hasNot.length ? { field: 'tag', op: 'has_not', value: hasNot } : null,
    q.opt_in ? { field: 'opt_in', op: 'eq', value: q.opt_in } : null,
    q.activity ? activityRule(q.activity) : null,
    q.updated_since ? { field: 'updated_at', op: 'gte', value: q.updated_since } : null,
    custom && fields ? customFilterCondition(customFiltersOf(custom), fields) : null,
    segment,
  );
}

/** The order of a page: explicit, else by update time with `updated_since`, else creation; a cursor of another order is refused. */
export function apiOrder(q: ContactsQuery): { sort: SortName; dir: Dir } {
  const sort: SortName = q.sort ?? (q.updated_since ? 'updated' : 'created');
  if (q.cursor) {
    const c = decodeListCursor(q.cursor, 'cursor');
    if (c.sort !== sort || c.dir !== q.dir) throw new Invalid({ cursor: { code: 'api.cursor_invalid' } });
  }
  return { sort, dir: q.dir };
}
