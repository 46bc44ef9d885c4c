// tags and contact_tags. Tag names are unique ignoring case and accents
// (name_key), so "VIP", "vip" and "Vìp" are one tag.
import type { Db } from '../db/knex.js';
import { refCache } from '../db/ref-cache.js';
import { countOf } from '../db/rows.js';
import { fold } from './derive.js';

export type Tag = { id: number; name: string; color: string | null };
export type TagWithCount = Tag & { contacts: number };

type Row = { id: number; name: string; color: string | null };
const toTag = (r: Row): Tag => ({ id: Number(r.id), name: r.name, color: r.color ?? null });

export function tagKey(name: string): string {
  return fold(name).slice(0, 60);
}

/**
 * Every list page shows the tag filter: the tag list is cached (db/ref-cache.ts).
 * Every writer of `tags` calls tagsChanged: the functions below, the import
 * (import/side-rows.ts) and the auto-replies (whatsapp/auto-replies.ts).
 */
const tagsCache = refCache(async (db) => ((await db('tags').select('id', 'name', 'color').orderBy([{ column: 'name_key' }, { column: 'id' }])) as Row[]).map(toTag));

export function tagsChanged(db: Db): void {
  tagsCache.changed(db);
}

/** By name; the caller gets its own copies. */
export async function allTags(db: Db): Promise<Tag[]> {
  return (await tagsCache.get(db)).map((t) => ({ ...t }));
}

/** Tags with how many contacts carry each (the tags page; tag counts are small aggregates over an index). */
export async function tagsWithCounts(db: Db): Promise<TagWithCount[]> {
  const counts = await db('contact_tags').select('tag_id').count({ n: '*' }).groupBy('tag_id');
  const byId = new Map((counts as Array<{ tag_id: number; n: unknown }>).map((c) => [Number(c.tag_id), Number(c.n)]));
  return (await allTags(db)).map((t) => ({ ...t, contacts: byId.get(t.id) ?? 0 }));
}

export async function tagById(db: Db, id: number): Promise<Tag | undefined> {
  const r = await db('tags').select('id', 'name', 'color').where({ id }).first();
  return r ? toTag(r as Row) : undefined;
}

export async function tagsByIds(db: Db, ids: number[]): Promise<Tag[]> {
  if (!ids.length) return [];
  return ((await db('tags').select('id', 'name', 'color').whereIn('id', ids)) as Row[]).map(toTag);
}

export async function tagByKey(db: Db, name: string): Promise<Tag | undefined> {
  const r = await db('tags').select('id', 'name', 'color').where({ name_key: tagKey(name) }).first();
  return r ? toTag(r as Row) : undefined;
}

export async function insertTag(db: Db, name: string, color: string | null, now: number): Promise<number> {
  const [r] = await db('tags').insert({ name, name_key: tagKey(name), color, created_at: now }).returning('id');
  tagsChanged(db);
  return Number((r as { id: number }).id ?? r);
}

export async function updateTag(db: Db, id: number, patch: { name?: string; color?: string | null }): Promise<void> {
  const row: Record<string, unknown> = {};
  if (patch.name !== undefined) Object.assign(row, { name: patch.name, name_key: tagKey(patch.name) });
  if (patch.color !== undefined) row.color = patch.color;
  if (!Object.keys(row).length) return;
  await db('tags').where({ id }).update(row);
  tagsChanged(db);
}

export async function deleteTag(db: Db, id: number): Promise<void> {
  await db('tags').where({ id }).delete();
  tagsChanged(db);
}

export async function countTagged(db: Db, tagId: number): Promise<number> {
  return countOf(await db('contact_tags').where({ tag_id: tagId }).count({ count: '*' }).first());
}

/** Tags of several contacts at once (one query per list page). */
export async function tagsOfContacts(db: Db, contactIds: number[]): Promise<Map<number, Tag[]>> {
  const out = new Map<number, Tag[]>();
  if (!contactIds.length) return out;
  const rows = await db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id')
    .select('contact_tags.contact_id', 'tags.id', 'tags.name', 'tags.color')
    .whereIn('contact_tags.contact_id', contactIds).orderBy('tags.name_key');
  for (const r of rows as Array<Row & { contact_id: number }>) {
    const list = out.get(Number(r.contact_id)) ?? [];
    list.push(toTag(r));
    out.set(Number(r.contact_id), list);
  }
  return out;
}

export async function setContactTags(db: Db, contactId: number, tagIds: number[]): Promise<void> {
  await db('contact_tags').where({ contact_id: contactId }).whereNotIn('tag_id', tagIds.length ? tagIds : [0]).delete();
  if (tagIds.length) {
    await db('contact_tags').insert(tagIds.map((tag_id) => ({ contact_id: contactId, tag_id }))).onConflict(['contact_id', 'tag_id']).ignore();
  }
}

/** Adds tags to one contact, keeping the ones it has. */
export async function addContactTags(db: Db, contactId: number, tagIds: number[]): Promise<void> {
  if (!tagIds.length) return;
  await db('contact_tags').insert(tagIds.map((tag_id) => ({ contact_id: contactId, tag_id }))).onConflict(['contact_id', 'tag_id']).ignore();
}

export async function removeContactTags(db: Db, contactId: number, tagIds: number[]): Promise<void> {
  if (tagIds.length) await db('contact_tags').where({ contact_id: contactId }).whereIn('tag_id', tagIds).delete();
}
