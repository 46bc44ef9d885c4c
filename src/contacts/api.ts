// Contacts in the REST API: list (cursor-paginated, filtered), create, get,
// update, delete. Same service and the same condition compiler as the pages.
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import { iso, IsoDateTime } from '../api/schemas.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { customFields } from './fields-queries.js';
import { compileOptions } from './list-filter.js';
import { pageOfContactRows } from './list.js';
import { toContact, type Contact } from './queries.js';
import { ContactInput, ContactPatch, ContactId } from './schema.js';
import { andOf, OPT_IN_STATES, type Condition } from './segments/condition.js';
import { segmentById } from './segments/queries.js';
import { createContact, deleteContact, getContact, updateContact } from './service.js';
import { tagByKey, tagsOfContacts } from './tags-queries.js';
import { liveCustom } from './values-writer.js';
import { bulkApi } from './bulk/api.js';

export const ApiContact = z.object({
  id: z.number().int(),
  phone: z.string().meta({ description: 'E.164.' }),
  wa_id: z.string().nullable(),
  country: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  display_name: z.string(),
  email: z.string().nullable(),
  language: z.string().nullable(),
  timezone: z.string().nullable(),
  opt_in: z.enum(OPT_IN_STATES),
  opt_in_source: z.string().nullable(),
  opt_in_at: IsoDateTime.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  last_inbound_at: IsoDateTime.nullable(),
  last_outbound_at: IsoDateTime.nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});

export function presentContact(c: Contact, tags: string[]): z.input<typeof ApiContact> {
  return {
    id: c.id, phone: c.phone, wa_id: c.waId, country: c.country, first_name: c.firstName, last_name: c.lastName,
    display_name: c.displayName, email: c.email, language: c.language, timezone: c.timezone,
    opt_in: c.optIn, opt_in_source: c.optInSource, opt_in_at: iso(c.optInAt), tags, custom: c.custom,
    last_inbound_at: iso(c.lastInboundAt), last_outbound_at: iso(c.lastOutboundAt), created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
  };
}

const OptInWrite = z.enum(['opted_in', 'opted_out']).optional()
  .meta({ description: 'Records consent in the ledger (source "api") when it changes.' });

const ContactsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(500).optional().meta({ description: 'The `next_cursor` of the previous page.' }),
  q: z.string().trim().max(100).optional().meta({ description: 'Name fragment (accents optional), phone prefix (+52155…) or e-mail.' }),
  tag: z.string().trim().max(60).optional().meta({ description: 'Only contacts with this tag (by name).' }),
  opt_in: z.enum(OPT_IN_STATES).optional(),
  segment_id: z.coerce.number().int().positive().optional().meta({ description: 'Only contacts in this saved segment.' }),
  updated_since: IsoDateTime.optional().meta({ description: 'Only contacts changed at or after this instant; sorts by update time.' }),
});
type ContactsQuery = z.infer<typeof ContactsQuery>;

const IdParams = z.object({ id: ContactId.meta({ description: 'The contact id.' }) });

/** The list's filters as a condition (also the audience of POST /contacts/bulk). */
export async function queryCondition(deps: Deps, q: Pick<ContactsQuery, 'q' | 'tag' | 'opt_in' | 'segment_id' | 'updated_since'>): Promise<Condition> {
  let segment: Condition | undefined;
  if (q.segment_id) {
    const s = await segmentById(deps.db, q.segment_id);
    if (!s) throw new NotFound('segments.not_found');
    segment = s.definition;
  }
  const tag = q.tag ? await tagByKey(deps.db, q.tag) : undefined;
  return andOf(
    q.q ? { field: 'search', op: 'contains', value: q.q } : null,
    q.tag ? (tag ? { field: 'tag', op: 'has', value: tag.id } : { any: [] }) : null,
    q.opt_in ? { field: 'opt_in', op: 'eq', value: q.opt_in } : null,
    q.updated_since ? { field: 'updated_at', op: 'gte', value: q.updated_since } : null,
    segment,
  );
}

/** Tags attached, and custom values of deleted fields left out (the JSON copy is not rewritten on delete). */
async function withTags(deps: Deps, contacts: Contact[]) {
  const [tags, defs] = await Promise.all([tagsOfContacts(deps.db, contacts.map((c) => c.id)), customFields(deps.db)]);
  return contacts.map((c) => presentContact({ ...c, custom: liveCustom(defs, c.custom) }, (tags.get(c.id) ?? []).map((t) => t.name)));
}

async function present(deps: Deps, c: Contact) {
  return (await withTags(deps, [c]))[0]!;
}

const listAndCreate: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/contacts', summary: 'List contacts', tags: ['contacts'], scope: 'contacts:read',
    description: 'Oldest first (or by update time with `updated_since`), cursor-paginated; filters combine with AND.',
    query: ContactsQuery,
    response: z.object({ data: z.array(ApiContact), next_cursor: z.string().nullable() }),
    handler: async ({ query }) => {
      const cond = await queryCondition(deps, query);
      const sort = query.updated_since ? 'updated' as const : 'created' as const;
      const page = await pageOfContactRows(deps.db, cond, await customFields(deps.db), {
        sort, dir: 'asc', after: query.cursor, limit: query.limit, full: true, cursorField: 'cursor', ...(await compileOptions(deps)),
      });
      return { data: await withTags(deps, page.rows.map(toContact)), next_cursor: page.next };
    },
  });

  apiRoute({
    method: 'post', path: '/contacts', summary: 'Create a contact', tags: ['contacts'], scope: 'contacts:write', status: 201,
    description: 'The phone is normalised to E.164; a number that already exists in any of its spellings (Mexico +52 1, Argentina +54 9, Brazil\'s ninth digit) is a 409 with `details.contact_id`. Counts against the plan\'s contact limit.',
    body: ContactInput.extend({ opt_in: OptInWrite }),
    response: ApiContact,
    handler: async ({ body, req }) => present(deps, await createContact(deps, req.actor, body, req.audit, 'api')),
  });

};

const oneContact: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/contacts/{id}', summary: 'Get a contact', tags: ['contacts'], scope: 'contacts:read',
    params: IdParams, response: ApiContact,
    handler: async ({ params }) => present(deps, await getContact(deps, params.id)),
  });

  apiRoute({
    method: 'patch', path: '/contacts/{id}', summary: 'Update a contact', tags: ['contacts'], scope: 'contacts:write',
    description: 'Only the given fields change; `tags` replaces the set; `custom` merges by key (null clears a value).',
    params: IdParams, body: ContactPatch.extend({ opt_in: OptInWrite }), response: ApiContact,
    handler: async ({ params, body, req }) => present(deps, await updateContact(deps, req.actor, params.id, body, req.audit, 'api')),
  });

  apiRoute({
    method: 'delete', path: '/contacts/{id}', summary: 'Delete a contact', tags: ['contacts'], scope: 'contacts:delete',
    description: 'Deletes the contact with its values, tags, notes, consent ledger and timeline.',
    params: IdParams, response: z.object({ id: z.number().int(), deleted: z.literal(true) }),
    handler: async ({ params, req }) => ({ id: (await deleteContact(deps, params.id, req.audit)).id, deleted: true as const }),
  });
};

export const contactsApi: ApiFeature = (apiRoute, deps) => {
  listAndCreate(apiRoute, deps);
  bulkApi(apiRoute, deps); // /contacts/bulk before /contacts/{id}
  oneContact(apiRoute, deps);
};
