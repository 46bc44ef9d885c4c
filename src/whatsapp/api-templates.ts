// REST API: the template library (synced from Meta), sync now, and editing
// or deleting a template at Meta (the same rules and errors as the pages).
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage, whereAfter } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import { IdParams, iso } from '../api/schemas.js';
import { NotFound } from '../errors.js';
import type { TemplateComponentDef } from './cloud-api-types.js';
import { getNumber } from './numbers-service.js';
import { deleteTemplate, editTemplate } from './templates-manage.js';
import { TEMPLATE_CATEGORIES } from './templates-schema.js';
import { componentOf, templateById, toTemplate, variablesOf, type LocalTemplate } from './templates-store.js';
import { syncTemplates } from './templates-sync.js';

export const ApiTemplate = z.object({
  id: z.number().int(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  status: z.string().meta({ description: 'Only APPROVED templates can be sent.' }),
  quality: z.string().nullable(),
  waba_id: z.string(),
  body: z.string(),
  variables: z.array(z.string()),
  parameter_format: z.enum(['positional', 'named']),
  components: z.array(z.record(z.string(), z.unknown())),
  rejected_reason: z.string().nullable(),
  updated_at: z.string(),
});

export function presentTemplate(t: LocalTemplate): z.input<typeof ApiTemplate> {
  const body = componentOf(t, 'BODY')?.text ?? '';
  return {
    id: t.id, name: t.name, language: t.language, category: t.category, status: t.status, quality: t.quality, waba_id: t.wabaId, body,
    variables: variablesOf(body), parameter_format: t.parameterFormat, components: t.components as unknown as Record<string, unknown>[],
    rejected_reason: t.rejectedReason, updated_at: iso(new Date(t.updatedAt)),
  };
}

const TemplatesQuery = PageQuery.extend({
  status: z.string().trim().toUpperCase().regex(/^[A-Z_]{3,20}$/).optional().meta({ description: 'Only this status, e.g. APPROVED.' }),
  number_id: z.coerce.number().int().positive().optional().meta({ description: "Only templates of this number's WhatsApp Business Account." }),
});

const SyncResult = z.object({
  wabas: z.number().int(), fetched: z.number().int(), created: z.number().int(), updated: z.number().int(), removed: z.number().int(),
  errors: z.array(z.object({ waba_id: z.string(), code: z.number().int().nullable(), message: z.string() })),
});

const templateRoutes: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/templates', summary: 'List message templates', tags: ['whatsapp'], scope: 'templates:read',
    description: 'The local library synced from Meta, by id, cursor-paginated.',
    query: TemplatesQuery, response: pageOf(ApiTemplate),
    handler: async ({ query }) => {
      const q = deps.db('templates').select('*').orderBy('id').limit(query.limit + 1);
      if (query.status) q.where({ status: query.status });
      if (query.number_id) q.where({ waba_id: (await getNumber(deps, query.number_id)).wabaId });
      whereAfter(q, 'id', 'id', query.cursor ? decodeCursor(query.cursor) : undefined);
      return toPage((await q).map(toTemplate), query.limit, (t) => ({ key: t.id, id: t.id }), presentTemplate);
    },
  });
  apiRoute({
    method: 'get', path: '/templates/{id}', summary: 'Get a message template', tags: ['whatsapp'], scope: 'templates:read',
    params: IdParams, response: ApiTemplate,
    handler: async ({ params }) => {
      const t = await templateById(deps.db, params.id);
      if (!t) throw new NotFound('whatsapp.template_not_found');
      return presentTemplate(t);
    },
  });
  apiRoute({
    method: 'post', path: '/templates/sync', summary: 'Sync templates from Meta now', tags: ['whatsapp'], scope: 'templates:write',
    description: 'Pulls every template of every WhatsApp Business Account (all pages). Errors per account are reported, not thrown.',
    response: SyncResult,
    handler: async () => {
      const r = await syncTemplates(deps);
      return { ...r, errors: r.errors.map((e) => ({ waba_id: e.wabaId, code: e.code, message: e.message })) };
    },
  });
};


const TemplatePatch = z.object({
  category: z.enum(TEMPLATE_CATEGORIES).optional().meta({ description: "New category; an APPROVED template's category cannot change." }),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  components: z.array(z.object({ type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']) }).passthrough()).min(1).max(10).optional()
    .meta({ description: "Meta's component objects (upper-case types, with examples); they replace all existing ones." }),
}).refine((b) => b.category !== undefined || b.components !== undefined, { message: 'validation.required', path: ['components'] });

const DeleteQuery = z.object({
  all_languages: z.enum(['true', 'false']).optional().default('false').meta({ description: 'true: every language of this name; else only this one.' }),
});

const manageRoutes: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'patch', path: '/templates/{id}', summary: 'Edit a message template', tags: ['whatsapp'], scope: 'templates:write',
    description: 'Sends the edit to Meta (POST /{template-id}); the template goes back to review (PENDING). Only APPROVED, REJECTED or PAUSED templates can be edited; an approved one keeps its category and allows 1 edit per 24 hours and 10 per 30 days. Meta refusals answer 422 with the code.',
    params: IdParams, body: TemplatePatch, response: ApiTemplate,
    handler: async ({ params, body, req }) => {
      const t = await templateById(deps.db, params.id);
      if (!t) throw new NotFound('whatsapp.template_not_found');
      const format = body.parameter_format ?? (t.parameterFormat === 'named' ? 'NAMED' : 'POSITIONAL');
      const components = (body.components as TemplateComponentDef[] | undefined) ?? t.components;
      return presentTemplate(await editTemplate(deps, t.id, { category: body.category ?? (t.category as (typeof TEMPLATE_CATEGORIES)[number]), parameterFormat: format, components }, req.audit));
    },
  });
  apiRoute({
    method: 'delete', path: '/templates/{id}', summary: 'Delete a message template', tags: ['whatsapp'], scope: 'templates:write',
    description: 'Deletes this language at Meta (hsm_id + name), or every language of the name with all_languages=true. Disabled templates cannot be deleted. The library keeps the rows as DELETED.',
    params: IdParams, query: DeleteQuery, response: z.object({ name: z.string(), deleted: z.array(ApiTemplate) }),
    handler: async ({ params, query, req }) => {
      const r = await deleteTemplate(deps, params.id, query.all_languages === 'true' ? 'all' : 'language', req.audit);
      return { name: r.name, deleted: r.deleted.map(presentTemplate) };
    },
  });
};

export const templatesApi: ApiFeature = (apiRoute, deps) => {
  templateRoutes(apiRoute, deps);
  manageRoutes(apiRoute, deps);
};
