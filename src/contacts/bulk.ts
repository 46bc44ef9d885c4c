// Bulk actions on every contact matching a filter or segment (not just the
// page on screen). The audience is the compiled condition; ids are walked in
// id order in chunks inside one transaction, so the action is all-or-nothing
// and chunks never skip or repeat a contact even as the action changes which
// contacts still match.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { Invalid } from '../errors.js';
import type { Audience } from './list-filter.js';
import { insertActivity, insertConsent } from './history-queries.js';
import { countOfQuery } from './queries.js';
import { contactIdsQuery } from './segments/compile.js';
import type { Who } from './service.js';
import { tagByKey, type Tag } from './tags-queries.js';
import { resolveTags } from './tags-service.js';

export const BULK_ACTIONS = ['tag', 'untag', 'opt_out', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_CHUNK = 500;

type BulkDeps = Pick<Deps, 'db' | 'clock' | 'events'>;

export async function countMatching(deps: Pick<Deps, 'db'>, a: Audience): Promise<number> {
  return countOfQuery(deps.db, contactIdsQuery(deps.db, a.condition, a.fields, a.opts));
}

/** Calls `fn` with successive chunks of matching ids (ascending). */
async function eachChunk(db: Db, a: Audience, fn: (ids: number[]) => Promise<void>): Promise<number> {
  let last = 0;
  let total = 0;
  for (;;) {
    const rows = await contactIdsQuery(db, a.condition, a.fields, a.opts)
      .where('contacts.id', '>', last).orderBy('contacts.id').limit(BULK_CHUNK);
    const ids = rows.map((r: { id: number }) => Number(r.id));
    if (!ids.length) return total;
    await fn(ids);
    total += ids.length;
    last = ids[ids.length - 1]!;
  }
}

async function tagChunk(db: Db, ids: number[], tag: Tag): Promise<void> {
  await db('contact_tags').insert(ids.map((contact_id) => ({ contact_id, tag_id: tag.id }))).onConflict(['contact_id', 'tag_id']).ignore();
}

async function optOutChunk(db: Db, deps: BulkDeps, who: Who, ids: number[], now: number): Promise<void> {
  const fresh = (await db('contacts').select('id').whereIn('id', ids).whereNot('opt_in', 'opted_out')).map((r: { id: number }) => Number(r.id));
  if (!fresh.length) return;
  await db('contacts').whereIn('id', fresh).update({ opt_in: 'opted_out', opt_in_source: 'agent', opt_in_at: now, updated_at: now });
  for (const id of fresh) {
    await insertConsent(db, { contactId: id, status: 'opted_out', source: 'agent', actor: who.label, detail: 'bulk', at: now });
    await insertActivity(db, { contactId: id, kind: 'consent', summary: { status: 'opted_out', source: 'agent', bulk: true }, userId: who.userId, at: now });
  }
  for (const id of fresh) deps.events.emit('contact.opted_out', { contactId: id, source: 'agent' });
}

export type BulkInput = { action: BulkAction; tagName?: string };

/** "tag" creates the tag when new; "untag" needs one that exists. */
async function tagFor(db: Db, input: BulkInput, now: number): Promise<Tag> {
  const name = input.tagName?.trim();
  if (!name) throw new Invalid({ tag_name: { code: 'contacts.bulk.tag_required' } });
  if (input.action === 'tag') return (await resolveTags(db, [name], now))[0]!;
  const t = await tagByKey(db, name);
  if (!t) throw new Invalid({ tag_name: { code: 'contacts.tag_not_found' } });
  return t;
}

/** Applies the action to every matching contact; returns how many it touched. */
export async function runBulk(deps: BulkDeps, who: Who, a: Audience, input: BulkInput, audit: Audit): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const tag = input.action === 'tag' || input.action === 'untag' ? await tagFor(trx, input, now) : undefined;
    const n = await eachChunk(trx, a, async (ids) => {
      if (input.action === 'tag') await tagChunk(trx, ids, tag!);
      else if (input.action === 'untag') await trx('contact_tags').where('tag_id', tag!.id).whereIn('contact_id', ids).delete();
      else if (input.action === 'opt_out') await optOutChunk(trx, deps, who, ids, now);
      else await trx('contacts').whereIn('id', ids).delete();
    });
    await audit(trx, {
      action: `contacts.bulk_${input.action}`, entityType: 'contact',
      after: { count: n, ...(tag ? { tag: tag.name } : {}), filter: a.condition },
    });
    return n;
  });
}
