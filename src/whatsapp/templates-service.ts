// The template library: listing for pages and the API, and creating a
// template in the UI and submitting it to Meta for review (positional or
// named parameters, text or media header). Edits and deletes: templates-manage.ts.
import type { Audit } from '../audit/context.js';
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { Invalid } from '../errors.js';
import { toJson } from '../db/rows.js';
import { clientFor } from './graph-clients.js';
import { numberById, numberSecrets } from './numbers-queries.js';
import { componentsOf } from './templates-components.js';
import { templateMetaError } from './templates-errors.js';
import type { TemplateForm } from './templates-schema.js';
import { toTemplate, type LocalTemplate } from './templates-store.js';

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

/** Submits to Meta (the template starts PENDING) and keeps it in the library. */
export async function submitTemplate(deps: Deps, v: TemplateForm, audit: Audit): Promise<LocalTemplate> {
  const n = await numberById(deps.db, v.number_id);
  if (!n) throw new Invalid({ number_id: { code: 'whatsapp.number_not_found' } });
  const existing = await deps.db('templates').where({ waba_id: n.wabaId, name: v.name, language: v.language }).first('id', 'status');
  // A deleted one keeps its row (and history) and can be submitted again.
  if (existing && existing.status !== 'DELETED') throw new Invalid({ name: { code: 'whatsapp.templates.duplicate' } });
  const components = componentsOf(v);
  let created;
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    created = await clientFor(deps, n).createTemplate(n.wabaId, accessToken, { name: v.name, language: v.language, category: v.category, parameterFormat: v.parameter_format, components });
  } catch (err) {
    throw templateMetaError(err);
  }
  const now = deps.clock.now();
  const columns = {
    meta_id: created.id || null, category: created.category, status: created.status, components: toJson(components), quality: null,
    parameter_format: v.parameter_format === 'NAMED' ? 'named' : 'positional', rejected_reason: null, edited_at: null, synced_at: now, updated_at: now,
  };
  const id = await deps.db.transaction(async (trx) => {
    let rowId: number;
    if (existing) {
      await trx('templates').where({ id: existing.id }).update(columns);
      rowId = Number(existing.id);
    } else {
      const [row] = await trx('templates').insert({ waba_id: n.wabaId, name: v.name, language: v.language, created_at: now, ...columns }).returning('id');
      rowId = Number(typeof row === 'object' ? (row as { id: number }).id : row);
    }
    await audit(trx, { action: 'whatsapp.template_submitted', entityType: 'template', entityId: rowId, after: { name: v.name, language: v.language, category: v.category, parameter_format: v.parameter_format, status: created.status } });
    return rowId;
  });
  return toTemplate((await deps.db('templates').where({ id }).first())!);
}

/** Body text split into literal and {{variable}} pieces, for highlighting in views. */
export function bodySegments(text: string): Array<{ text: string; variable: boolean }> {
  return text.split(/(\{\{\s*[a-z0-9_]+\s*\}\})/i).filter(Boolean).map((p) => ({ text: p, variable: /^\{\{/.test(p) }));
}
