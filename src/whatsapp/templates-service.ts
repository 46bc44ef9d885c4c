// The template library: listing for pages and the API, and creating a
// template in the UI and submitting it to Meta for review.
import type { Audit } from '../audit/context.js';
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { Invalid } from '../errors.js';
import { toJson } from '../db/rows.js';
import type { TemplateComponentDef } from './cloud-api-types.js';
import { MetaApiError } from './errors.js';
import { clientFor } from './graph-clients.js';
import { metaErrorKey } from './meta-errors.js';
import { numberById, numberSecrets } from './numbers-queries.js';
import { bodyExamples, type TemplateForm } from './templates-schema.js';
import { toTemplate, variablesOf, type LocalTemplate } from './templates-store.js';

export type TemplateFilter = { status?: string; wabaId?: string; q?: string };

export async function listTemplates(db: Db, f: TemplateFilter = {}): Promise<LocalTemplate[]> {
  const q = db('templates').select('*').orderBy([{ column: 'name' }, { column: 'language' }, { column: 'id' }]);
  if (f.status) q.where({ status: f.status });
  if (f.wabaId) q.where({ waba_id: f.wabaId });
  if (f.q) q.where('name', 'like', `%${f.q.toLowerCase().replace(/[^a-z0-9_]/g, '')}%`);
  return (await q).map(toTemplate);
}

/** APPROVED templates usable from a number (what the send pickers offer). */
export async function approvedTemplatesFor(db: Db, wabaId: string): Promise<LocalTemplate[]> {
  return listTemplates(db, { status: 'APPROVED', wabaId });
}

function header(v: TemplateForm): TemplateComponentDef | undefined {
  if (v.header_type === 'NONE') return undefined;
  if (v.header_type === 'TEXT') {
    const h: TemplateComponentDef = { type: 'HEADER', format: 'TEXT', text: v.header_text };
    if (variablesOf(v.header_text).length) h.example = { header_text: [v.header_example] };
    return h;
  }
  return { type: 'HEADER', format: v.header_type, example: { header_handle: [v.header_example] } };
}

function buttons(v: TemplateForm): TemplateComponentDef | undefined {
  const list: NonNullable<TemplateComponentDef['buttons']> = v.quick_replies.split(',').map((s) => s.trim()).filter(Boolean)
    .map((text) => ({ type: 'QUICK_REPLY', text }));
  if (v.url_text && v.url) list.push({ type: 'URL', text: v.url_text, url: v.url, ...(v.url.includes('{{') ? { example: [v.url_example] } : {}) });
  return list.length ? { type: 'BUTTONS', buttons: list } : undefined;
}

export function componentsOf(v: TemplateForm): TemplateComponentDef[] {
  const vars = variablesOf(v.body);
  const body: TemplateComponentDef = { type: 'BODY', text: v.body };
  if (vars.length) body.example = { body_text: [bodyExamples(v).slice(0, vars.length)] };
  return [header(v), body, v.footer ? { type: 'FOOTER', text: v.footer } as TemplateComponentDef : undefined, buttons(v)]
    .filter((c): c is TemplateComponentDef => !!c);
}

/** Submits to Meta (the template starts PENDING) and keeps it in the library. */
export async function submitTemplate(deps: Deps, v: TemplateForm, audit: Audit): Promise<LocalTemplate> {
  const n = await numberById(deps.db, v.number_id);
  if (!n) throw new Invalid({ number_id: { code: 'whatsapp.number_not_found' } });
  if (await deps.db('templates').where({ waba_id: n.wabaId, name: v.name, language: v.language }).first('id')) {
    throw new Invalid({ name: { code: 'whatsapp.templates.duplicate' } });
  }
  const components = componentsOf(v);
  let created;
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    created = await clientFor(deps, n).createTemplate(n.wabaId, accessToken, { name: v.name, language: v.language, category: v.category, components });
  } catch (err) {
    if (!(err instanceof MetaApiError)) throw err;
    if (err.subcode === 2388024) throw new Invalid({ name: { code: 'whatsapp.templates.duplicate' } });
    throw new Invalid({ _: { code: metaErrorKey(err.code), params: { code: err.code, details: err.details ?? err.message } } });
  }
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (trx) => {
    const [row] = await trx('templates').insert({
      waba_id: n.wabaId, meta_id: created.id || null, name: v.name, language: v.language, category: created.category, status: created.status,
      components: toJson(components), parameter_format: 'positional', synced_at: now, created_at: now, updated_at: now,
    }).returning('id');
    const newId = Number(typeof row === 'object' ? (row as { id: number }).id : row);
    await audit(trx, { action: 'whatsapp.template_submitted', entityType: 'template', entityId: newId, after: { name: v.name, language: v.language, category: v.category, status: created.status } });
    return newId;
  });
  return toTemplate((await deps.db('templates').where({ id }).first())!);
}

/** Body text split into literal and {{variable}} pieces, for highlighting in views. */
export function bodySegments(text: string): Array<{ text: string; variable: boolean }> {
  return text.split(/(\{\{\s*[a-z0-9_]+\s*\}\})/i).filter(Boolean).map((p) => ({ text: p, variable: /^\{\{/.test(p) }));
}
