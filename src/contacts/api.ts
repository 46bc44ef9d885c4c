// Contacts in the REST API: list (api-list.ts: the list page's filters and
// sorts, cursor-paginated), create, get, update, delete, and adding or
// removing single tags. Same services and condition compiler as the pages.
import { z } from 'zod';
import type { ApiFeature } from '../api/registry.js';
import { iso, IsoDateTime } from '../api/schemas.js';
import type { Deps } from '../deps.js';
import { customFields } from './fields-queries.js';
import { compileOptions } from './list-filter.js';
import { pageOfContactRows } from './list.js';
import { toContact, type Contact } from './queries.js';
import { ContactInput, ContactPatch, ContactId, TagName } from './schema.js';
import { andOf, OPT_IN_STATES } from './segments/condition.js';
import { createContact, deleteContact, getContact, updateContact } from './service.js';
import { tagsOfContacts } from './tags-queries.js';
import { liveCustom } from './values-writer.js';
import { apiOrder, ContactsQuery, queryCondition } from './api-list.js';
import { addTagsToContact, removeTagFromContact } from './contact-tags.js';
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

export { queryCondition };

const IdParams = z.object({ id: ContactId.meta({ description: 'The contact id.' }) });

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
    description: 'The list page\'s filters and sorts, cursor-paginated (keyset; stable while contacts change); filters combine with AND. A condition on a deleted custom field is a 422 naming it.',
    query: ContactsQuery,
    response: z.object({ data: z.array(ApiContact), next_cursor: z.string().nullable() }),
    handler: async ({ query, req }) => {
      const fields = await customFields(deps.db);
      const cond = andOf(await queryCondition(deps, query, fields, req.query as Record<string, unknown>), query.condition ?? null);
      const { sort, dir } = apiOrder(query);
      const page = await pageOfContactRows(deps.db, cond, fields, {
        sort, dir, after: query.cursor, limit: query.limit, full: true, cursorField: 'cursor', ...(await compileOptions(deps)),
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

  apiRoute({
    method: 'post', path: '/contacts/{id}/tags', summary: 'Add tags to a contact', tags: ['contacts'], scope: 'contacts:write',
    description: 'Adds the tags, keeping the ones the contact has (unknown names are created). Recorded on the contact\'s timeline.',
    params: IdParams, body: z.object({ tags: z.array(TagName).min(1).max(50).meta({ description: 'Tag names.' }) }), response: ApiContact,
    handler: async ({ params, body, req }) => present(deps, await addTagsToContact(deps, req.actor, params.id, body.tags, req.audit)),
  });

  apiRoute({
    method: 'delete', path: '/contacts/{id}/tags/{tag}', summary: 'Remove a tag from a contact', tags: ['contacts'], scope: 'contacts:write',
    description: 'By name (any case or accents). 404 when no such tag exists; a contact without it is returned unchanged.',
    params: IdParams.extend({ tag: TagName.meta({ description: 'The tag name (URL-encoded).' }) }), response: ApiContact,
    handler: async ({ params, req }) => present(deps, await removeTagFromContact(deps, req.actor, params.id, params.tag, req.audit)),
  });
};

export const contactsApi: ApiFeature = (apiRoute, deps) => {
  listAndCreate(apiRoute, deps);
  bulkApi(apiRoute, deps); // /contacts/bulk before /contacts/{id}
  oneContact(apiRoute, deps);
};
