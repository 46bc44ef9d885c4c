// segments: saved condition trees.
import type { Db } from '../../db/knex.js';
import { refCache } from '../../db/ref-cache.js';
import { date, json } from '../../db/rows.js';
import type { Condition } from './condition.js';

export type Segment = { id: number; name: string; definition: Condition; createdBy: number | null; createdAt: Date; updatedAt: Date };

type Row = { id: number; name: string; definition: string; created_by: number | null; created_at: number; updated_at: number };

function toSegment(r: Row): Segment {
  return {
    id: Number(r.id), name: r.name, definition: json<Condition>(r.definition, { all: [] }),
    createdBy: r.created_by === null ? null : Number(r.created_by), createdAt: date(r.created_at), updatedAt: date(r.updated_at),
  };
}

export async function segmentById(db: Db, id: number): Promise<Segment | undefined> {
  const r = await db('segments').where({ id }).first();
  return r ? toSegment(r as Row) : undefined;
}

export async function segmentByName(db: Db, name: string): Promise<Segment | undefined> {
  const r = await db('segments').where({ name }).first();
  return r ? toSegment(r as Row) : undefined;
}

/** Alphabetical; a small table (people name their segments), no paging needed in the UI. */
export async function allSegments(db: Db): Promise<Segment[]> {
  return ((await db('segments').select('*').orderBy([{ column: 'name' }, { column: 'id' }])) as Row[]).map(toSegment);
}

/** The list page's segment picker (id and name, by name): cached (db/ref-cache.ts), dropped by every write below. */
const choicesCache = refCache(async (db) =>
  ((await db('segments').select('id', 'name').orderBy([{ column: 'name' }, { column: 'id' }])) as Array<{ id: number; name: string }>)
    .map((r) => ({ id: Number(r.id), name: r.name })));

export async function segmentChoices(db: Db): Promise<Array<{ id: number; name: string }>> {
  return (await choicesCache.get(db)).map((s) => ({ ...s }));
}

/** API page: id order after `afterId`. */
export async function pageOfSegments(db: Db, limit: number, afterId?: number): Promise<Segment[]> {
  const q = db('segments').select('*').orderBy('id').limit(limit + 1);
  if (afterId !== undefined) q.where('id', '>', afterId);
  return ((await q) as Row[]).map(toSegment);
}

export async function insertSegment(db: Db, s: { name: string; definition: Condition; createdBy: number | null }, now: number): Promise<number> {
  const [row] = await db('segments').insert({
    name: s.name, definition: JSON.stringify(s.definition), created_by: s.createdBy, created_at: now, updated_at: now,
  }).returning('id');
  choicesCache.changed(db);
  return Number((row as { id: number }).id ?? row);
}

export async function updateSegment(db: Db, id: number, patch: { name?: string; definition?: Condition }, now: number): Promise<void> {
  const row: Record<string, unknown> = { updated_at: now };
  if (patch.name !== undefined) row.name = patch.name;
  if (patch.definition !== undefined) row.definition = JSON.stringify(patch.definition);
  await db('segments').where({ id }).update(row);
  choicesCache.changed(db);
}

export async function deleteSegment(db: Db, id: number): Promise<void> {
  await db('segments').where({ id }).delete();
  choicesCache.changed(db);
}

/** Distinct messages.campaign_id values, highest first (the builder's campaign picker until campaigns have a table). */
export async function campaignIdsWithMessages(db: Db, limit: number): Promise<number[]> {
  const rows = await db('messages').distinct('campaign_id').whereNotNull('campaign_id').orderBy('campaign_id', 'desc').limit(limit);
  return (rows as Array<{ campaign_id: number | string }>).map((r) => Number(r.campaign_id));
}
