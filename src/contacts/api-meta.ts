// Tags and custom field definitions in the REST API.
import { z } from 'zod';
import type { ApiFeature } from '../api/registry.js';
import { IdParams } from '../api/schemas.js';
import { customFields } from './fields-queries.js';
import { FieldInput, FieldPatch } from './fields-schema.js';
import { createField, editField, getField, removeField } from './fields-service.js';
import type { CustomFieldDef } from './custom-values.js';
import { TagName } from './schema.js';
import { CUSTOM_FIELD_TYPES } from './segments/condition.js';
import { tagsWithCounts } from './tags-queries.js';
import { createTag, editTag, getTag, removeTag, TAG_COLORS } from './tags-service.js';

const ApiTag = z.object({ id: z.number().int(), name: z.string(), color: z.string().nullable(), contacts: z.number().int().optional() });
const TagBody = z.object({ name: TagName, color: z.enum(TAG_COLORS).optional().meta({ description: 'One of the palette colours.' }) });

const ApiField = z.object({
  id: z.number().int(), key: z.string(), label: z.string(), type: z.enum(CUSTOM_FIELD_TYPES), options: z.array(z.string()), position: z.number().int(),
});
const field = (f: CustomFieldDef) => ({ id: f.id, key: f.key, label: f.label, type: f.type, options: f.options, position: f.position });
const Deleted = z.object({ id: z.number().int(), deleted: z.literal(true) });

export const tagsApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/tags', summary: 'List tags', tags: ['tags'], scope: 'contacts:read',
    description: 'Every tag, alphabetical, with how many contacts carry it.',
    response: z.object({ data: z.array(ApiTag) }),
    handler: async () => ({ data: await tagsWithCounts(deps.db) }),
  });
  apiRoute({
    method: 'post', path: '/tags', summary: 'Create a tag', tags: ['tags'], scope: 'contacts:write', status: 201,
    body: TagBody, response: ApiTag,
    handler: async ({ body, req }) => createTag(deps, body, req.audit),
  });
  apiRoute({
    method: 'patch', path: '/tags/{id}', summary: 'Rename or recolour a tag', tags: ['tags'], scope: 'contacts:write',
    params: IdParams, body: TagBody.partial(), response: ApiTag,
    handler: async ({ params, body, req }) => {
      const t = await getTag(deps, params.id);
      return editTag(deps, t.id, { name: body.name ?? t.name, color: body.color ?? t.color }, req.audit);
    },
  });
  apiRoute({
    method: 'delete', path: '/tags/{id}', summary: 'Delete a tag', tags: ['tags'], scope: 'contacts:delete',
    description: 'Removes it from every contact.', params: IdParams, response: Deleted,
    handler: async ({ params, req }) => ({ id: (await removeTag(deps, params.id, req.audit)).id, deleted: true as const }),
  });
};

export const customFieldsApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/custom-fields', summary: 'List custom fields', tags: ['custom-fields'], scope: 'contacts:read',
    response: z.object({ data: z.array(ApiField) }),
    handler: async () => ({ data: (await customFields(deps.db)).map(field) }),
  });
  apiRoute({
    method: 'post', path: '/custom-fields', summary: 'Create a custom field', tags: ['custom-fields'], scope: 'contacts:write', status: 201,
    description: 'Counts against the plan\'s custom field limit (402 when reached). The key and type cannot change later.',
    body: FieldInput, response: ApiField,
    handler: async ({ body, req }) => field(await createField(deps, body, req.audit)),
  });
  apiRoute({
    method: 'patch', path: '/custom-fields/{id}', summary: 'Relabel a custom field or edit its options', tags: ['custom-fields'], scope: 'contacts:write',
    params: IdParams, body: FieldPatch, response: ApiField,
    handler: async ({ params, body, req }) => field(await editField(deps, (await getField(deps, params.id)).id, body, req.audit)),
  });
  apiRoute({
    method: 'delete', path: '/custom-fields/{id}', summary: 'Delete a custom field', tags: ['custom-fields'], scope: 'contacts:delete',
    description: 'Deletes its values on every contact; segments that use it report the problem.', params: IdParams, response: Deleted,
    handler: async ({ params, req }) => ({ id: (await removeField(deps, params.id, req.audit)).id, deleted: true as const }),
  });
};
