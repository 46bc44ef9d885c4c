// Saved segments: named condition trees, counted live. A segment whose tree
// refers to something deleted since (a custom field, a tag, an option) is kept
// and reported with what is wrong, never a crash.
import { z } from 'zod';
import type { Audit } from '../../audit/context.js';
import type { Deps } from '../../deps.js';
import type { Db } from '../../db/knex.js';
import { DomainError, Invalid, NotFound } from '../../errors.js';
import type { CustomFieldDef } from '../custom-values.js';
import { customFields } from '../fields-queries.js';
import { countOfQuery } from '../queries.js';
import type { Who } from '../service.js';
import { tagsByIds } from '../tags-queries.js';
import { checkCondition, contactIdsQuery } from './compile.js';
import { ConditionSchema, rulesOf, type Condition } from './condition.js';
import { deleteSegment, insertSegment, segmentById, segmentByName, updateSegment, type Segment } from './queries.js';

export const SegmentInput = z.object({
  name: z.string().trim().min(1).max(120),
  definition: ConditionSchema,
});
export type SegmentInput = z.infer<typeof SegmentInput>;
export const SegmentPatch = SegmentInput.partial();

export type Problem = { code: string; params: Record<string, string | number> };

/** Everything wrong with a tree against today's fields and tags (empty when it runs). */
export async function problemsOf(db: Db, cond: Condition, fields: CustomFieldDef[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const tagIds = rulesOf(cond).filter((r) => r.field === 'tag').flatMap((r) => (Array.isArray(r.value) ? r.value : [r.value]).map(Number));
  const known = new Set((await tagsByIds(db, tagIds.filter((n) => Number.isSafeInteger(n)))).map((t) => t.id));
  for (const id of new Set(tagIds)) if (!known.has(id)) problems.push({ code: 'segments.unknown_tag', params: { id } });
  try {
    checkCondition(cond, fields);
    contactIdsQuery(db, cond, fields).toSQL();
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    for (const f of Object.values(e.fields)) problems.push({ code: f.code, params: f.params ?? {} });
  }
  return problems;
}

export async function getSegment(deps: Pick<Deps, 'db'>, id: number): Promise<Segment> {
  const s = await segmentById(deps.db, id);
  if (!s) throw new NotFound('segments.not_found');
  return s;
}

/** Exact number of matching contacts; Invalid (with the specific code) when the tree cannot run. */
export async function countCondition(deps: Pick<Deps, 'db' | 'clock'>, cond: Condition, fields?: CustomFieldDef[]): Promise<number> {
  const defs = fields ?? (await customFields(deps.db));
  return countOfQuery(deps.db, contactIdsQuery(deps.db, cond, defs, { now: deps.clock.now() }));
}

async function assertNameFree(db: Db, name: string, selfId?: number): Promise<void> {
  const other = await segmentByName(db, name);
  if (other && other.id !== selfId) throw new Invalid({ name: { code: 'segments.name_taken' } });
}

/** A tree must run before it is saved (unknown fields are caught here, not at send time). */
async function assertRuns(db: Db, cond: Condition): Promise<void> {
  const problems = await problemsOf(db, cond, await customFields(db));
  const first = problems[0];
  if (first) throw new Invalid({ definition: { code: first.code, params: first.params } }, first.code);
}

export async function createSegment(deps: Pick<Deps, 'db' | 'clock'>, who: Who, input: SegmentInput, audit: Audit): Promise<Segment> {
  const id = await deps.db.transaction(async (trx) => {
    await assertNameFree(trx, input.name);
    await assertRuns(trx, input.definition);
    const newId = await insertSegment(trx, { name: input.name, definition: input.definition, createdBy: who.userId }, deps.clock.now());
    await audit(trx, { action: 'segment.created', entityType: 'segment', entityId: newId, after: input });
    return newId;
  });
  return getSegment(deps, id);
}

export async function editSegment(deps: Pick<Deps, 'db' | 'clock'>, id: number, patch: Partial<SegmentInput>, audit: Audit): Promise<Segment> {
  await deps.db.transaction(async (trx) => {
    const before = await segmentById(trx, id);
    if (!before) throw new NotFound('segments.not_found');
    if (patch.name !== undefined) await assertNameFree(trx, patch.name, id);
    if (patch.definition !== undefined) await assertRuns(trx, patch.definition);
    await updateSegment(trx, id, patch, deps.clock.now());
    await audit(trx, { action: 'segment.updated', entityType: 'segment', entityId: id,
      before: { name: before.name, definition: before.definition }, after: { name: patch.name ?? before.name, definition: patch.definition ?? before.definition } });
  });
  return getSegment(deps, id);
}

export async function removeSegment(deps: Pick<Deps, 'db'>, id: number, audit: Audit): Promise<Segment> {
  return deps.db.transaction(async (trx) => {
    const s = await segmentById(trx, id);
    if (!s) throw new NotFound('segments.not_found');
    await deleteSegment(trx, id);
    await audit(trx, { action: 'segment.deleted', entityType: 'segment', entityId: id, before: { name: s.name } });
    return s;
  });
}

/** The definition of a stored segment parsed again (a hand-edited or old row is reported, not trusted). */
export function storedDefinition(s: Segment): Condition {
  const r = ConditionSchema.safeParse(s.definition);
  if (!r.success) throw new DomainError('segments.invalid_definition');
  return r.data;
}
