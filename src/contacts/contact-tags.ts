// Adding and removing single tags on one contact without replacing the set
// (the API's POST /contacts/{id}/tags and DELETE /contacts/{id}/tags/{tag}).
// Like an edit in the UI: one transaction, unknown tags created, updated_at
// moved, a "change" row on the timeline and an audit entry, and nothing
// written when the set does not change.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { NotFound } from '../errors.js';
import { insertActivity } from './history-queries.js';
import { contactById, updateContactRow, type Contact } from './queries.js';
import type { Who } from './service.js';
import { getContact } from './service.js';
import { addContactTags, removeContactTags, tagByKey, tagsOfContacts } from './tags-queries.js';
import { resolveTags } from './tags-service.js';

type TagDeps = Pick<Deps, 'db' | 'clock'>;

async function changeTags(deps: TagDeps, who: Who, id: number, audit: Audit, apply: (trx: Db, now: number) => Promise<void>): Promise<Contact> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await contactById(trx, id))) throw new NotFound('contacts.not_found');
    const names = async () => ((await tagsOfContacts(trx, [id])).get(id) ?? []).map((t) => t.name);
    const before = await names();
    await apply(trx, now);
    const after = await names();
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await updateContactRow(trx, id, { updated_at: now });
    await insertActivity(trx, { contactId: id, kind: 'change', summary: { fields: ['tags'] }, userId: who.userId, at: now });
    await audit(trx, { action: 'contact.updated', entityType: 'contact', entityId: id, before: { tags: before }, after: { tags: after } });
  });
  return getContact(deps, id);
}

/** Adds the named tags (creating unknown ones); tags the contact already has stay as they are. */
export async function addTagsToContact(deps: TagDeps, who: Who, id: number, names: string[], audit: Audit): Promise<Contact> {
  return changeTags(deps, who, id, audit, async (trx, now) => {
    const tags = await resolveTags(trx, names, now);
    await addContactTags(trx, id, tags.map((t) => t.id));
  });
}

/** Removes one tag by name (any case or accents); a tag that does not exist at all is a 404, one the contact lacks changes nothing. */
export async function removeTagFromContact(deps: TagDeps, who: Who, id: number, name: string, audit: Audit): Promise<Contact> {
  return changeTags(deps, who, id, audit, async (trx) => {
    const tag = await tagByKey(trx, name);
    if (!tag) throw new NotFound('contacts.tag_not_found');
    await removeContactTags(trx, id, [tag.id]);
  });
}
