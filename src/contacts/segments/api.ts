// Segments in the REST API: saved condition trees and their live counts.
import { z } from 'zod';
import type { ApiFeature } from '../../api/registry.js';
import { iso, IdParams, IsoDateTime } from '../../api/schemas.js';
import { customFields } from '../fields-queries.js';
import { compileOptions } from '../list-filter.js';
import { countOfQuery } from '../queries.js';
import { contactIdsQuery } from './compile.js';
import { ConditionSchema } from './condition.js';
import { allSegments, type Segment } from './queries.js';
import { createSegment, editSegment, getSegment, problemsOf, removeSegment, SegmentInput, SegmentPatch } from './service.js';

const ApiSegment = z.object({
  id: z.number().int(), name: z.string(), definition: ConditionSchema,
  problems: z.array(z.object({ code: z.string(), message: z.string() })).meta({ description: 'What no longer exists (a deleted custom field or tag); empty when fine.' }),
  created_at: IsoDateTime, updated_at: IsoDateTime,
});

type T = (k: string, p?: Record<string, string | number>) => string;

function helpers(deps: Parameters<ApiFeature>[1]) {
  const present = async (s: Segment, t: T) => ({
    id: s.id, name: s.name, definition: s.definition, created_at: iso(s.createdAt), updated_at: iso(s.updatedAt),
    problems: (await problemsOf(deps.db, s.definition, await customFields(deps.db))).map((p) => ({ code: p.code, message: t(p.code, p.params) })),
  });
  const licensed = () => deps.plans.requireFeature('segments');
  return { present, licensed };
}

const collection: ApiFeature = (apiRoute, deps) => {
  const { present, licensed } = helpers(deps);
  apiRoute({
    method: 'get', path: '/segments', summary: 'List segments', tags: ['segments'], scope: 'contacts:read',
    response: z.object({ data: z.array(ApiSegment) }),
    handler: async ({ req }) => { await licensed(); return { data: await Promise.all((await allSegments(deps.db)).map((s) => present(s, req.t))) }; },
  });
  apiRoute({
    method: 'post', path: '/segments', summary: 'Create a segment', tags: ['segments'], scope: 'contacts:write', status: 201,
    description: 'The definition must run: unknown custom fields, operators or values are a 422 naming the problem.',
    body: SegmentInput, response: ApiSegment,
    handler: async ({ body, req }) => { await licensed(); return present(await createSegment(deps, req.actor, body, req.audit), req.t); },
  });
};

const item: ApiFeature = (apiRoute, deps) => {
  const { present, licensed } = helpers(deps);
  apiRoute({
    method: 'get', path: '/segments/{id}', summary: 'Get a segment', tags: ['segments'], scope: 'contacts:read',
    params: IdParams, response: ApiSegment,
    handler: async ({ params, req }) => { await licensed(); return present(await getSegment(deps, params.id), req.t); },
  });
  apiRoute({
    method: 'patch', path: '/segments/{id}', summary: 'Rename a segment or change its definition', tags: ['segments'], scope: 'contacts:write',
    params: IdParams, body: SegmentPatch, response: ApiSegment,
    handler: async ({ params, body, req }) => { await licensed(); return present(await editSegment(deps, params.id, body, req.audit), req.t); },
  });
  apiRoute({
    method: 'delete', path: '/segments/{id}', summary: 'Delete a segment', tags: ['segments'], scope: 'contacts:delete',
    params: IdParams, response: z.object({ id: z.number().int(), deleted: z.literal(true) }),
    handler: async ({ params, req }) => { await licensed(); return { id: (await removeSegment(deps, params.id, req.audit)).id, deleted: true as const }; },
  });
};

const counting: ApiFeature = (apiRoute, deps) => {
  const { licensed } = helpers(deps);
  apiRoute({
    method: 'get', path: '/segments/{id}/count', summary: 'Count the contacts in a segment', tags: ['segments'], scope: 'contacts:read',
    description: 'Exact, computed now. A definition that no longer runs (deleted custom field) is a 422 naming it.',
    params: IdParams, response: z.object({ id: z.number().int(), count: z.number().int() }),
    handler: async ({ params }) => {
      await licensed();
      const s = await getSegment(deps, params.id);
      const ids = contactIdsQuery(deps.db, s.definition, await customFields(deps.db), await compileOptions(deps));
      return { id: s.id, count: await countOfQuery(deps.db, ids) };
    },
  });
};

export const segmentsApi: ApiFeature = (apiRoute, deps) => {
  collection(apiRoute, deps);
  item(apiRoute, deps);
  counting(apiRoute, deps);
};
