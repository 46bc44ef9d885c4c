// Notes staff write on a contact; each also appears in the activity timeline.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { insertActivity, insertNote } from './history-queries.js';
import { contactById } from './queries.js';
import type { Who } from './service.js';

export async function addNote(deps: Pick<Deps, 'db' | 'clock'>, who: Who, contactId: number, body: string, audit: Audit): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    if (!(await contactById(trx, contactId))) throw new NotFound('contacts.not_found');
    const id = await insertNote(trx, { contactId, userId: who.userId, body, at: now });
    await insertActivity(trx, { contactId, kind: 'note', ref: String(id), summary: { excerpt: body.slice(0, 280) }, userId: who.userId, at: now });
    // The note's text stays out of the audit log: it is personal data the contact may ask to erase.
    await audit(trx, { action: 'contact.note_added', entityType: 'contact', entityId: contactId, after: { note_id: id } });
    return id;
  });
}
