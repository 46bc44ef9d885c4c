// Tags: created on the fly from a contact form, the API or an import; renamed,
// recoloured and deleted on the tags page. Colours come from a fixed palette
// (each has a CSS class) because the CSP forbids inline styles.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import type { Db } from '../db/knex.js';
import { deleteTag, insertTag, tagById, tagByKey, tagKey, updateTag, countTagged, type Tag } from './tags-queries.js';

export const TAG_COLORS = ['#0b7a5c', '#1d4ed8', '#7c3aed', '#be185d', '#b91c1c', '#c2410c', '#a16207', '#4b5563'] as const;

/** CSS class for a tag's colour (unknown values fall back to grey). */
export function tagClass(color: string | null): string {
  const i = TAG_COLORS.indexOf((color ?? '') as (typeof TAG_COLORS)[number]);
  return `tag tag-c${i < 0 ? TAG_COLORS.length - 1 : i}`;
}

/** A stable default colour per name, so the same tag looks the same after a re-import. */
export function defaultColor(name: string): string {
  let h = 0;
  for (const ch of tagKey(name)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return TAG_COLORS[h % TAG_COLORS.length]!;
}

/** Ids of the named tags, creating the ones that do not exist yet (inside the caller's transaction). */
export async function resolveTags(db: Db, names: string[], now: number): Promise<Tag[]> {
  const out: Tag[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.replace(/\s+/g, ' ').trim().slice(0, 60);
    const key = tagKey(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const existing = await tagByKey(db, name);
    if (existing) out.push(existing);
    else out.push({ id: await insertTag(db, name, defaultColor(name), now), name, color: defaultColor(name) });
  }
  return out;
}

function checkColor(color: string | null | undefined): void {
  if (color && !(TAG_COLORS as readonly string[]).includes(color)) throw new Invalid({ color: { code: 'validation.choice' } });
}

export async function createTag(deps: Pick<Deps, 'db' | 'clock'>, input: { name: string; color?: string | null }, audit: Audit): Promise<Tag> {
  checkColor(input.color);
  return deps.db.transaction(async (trx) => {
    if (await tagByKey(trx, input.name)) throw new Invalid({ name: { code: 'contacts.tag_taken' } });
    const color = input.color ?? defaultColor(input.name);
    const id = await insertTag(trx, input.name, color, deps.clock.now());
    await audit(trx, { action: 'tag.created', entityType: 'tag', entityId: id, after: { name: input.name, color } });
    return { id, name: input.name, color };
  });
}

export async function getTag(deps: Pick<Deps, 'db'>, id: number): Promise<Tag> {
  const t = await tagById(deps.db, id);
  if (!t) throw new NotFound('contacts.tag_not_found');
  return t;
}

export async function editTag(deps: Pick<Deps, 'db'>, id: number, input: { name: string; color?: string | null }, audit: Audit): Promise<Tag> {
  checkColor(input.color);
  return deps.db.transaction(async (trx) => {
    const before = await tagById(trx, id);
    if (!before) throw new NotFound('contacts.tag_not_found');
    const other = await tagByKey(trx, input.name);
    if (other && other.id !== id) throw new Invalid({ name: { code: 'contacts.tag_taken' } });
    await updateTag(trx, id, { name: input.name, color: input.color ?? before.color });
    const after = { name: input.name, color: input.color ?? before.color };
    await audit(trx, { action: 'tag.updated', entityType: 'tag', entityId: id, before: { name: before.name, color: before.color }, after });
    return { id, ...after };
  });
}

/** Removes the tag from every contact; segments that used it then report it as missing. */
export async function removeTag(deps: Pick<Deps, 'db'>, id: number, audit: Audit): Promise<Tag> {
  return deps.db.transaction(async (trx) => {
    const t = await tagById(trx, id);
    if (!t) throw new NotFound('contacts.tag_not_found');
    const contacts = await countTagged(trx, id);
    await deleteTag(trx, id);
    await audit(trx, { action: 'tag.deleted', entityType: 'tag', entityId: id, before: { name: t.name, contacts } });
    return t;
  });
}

