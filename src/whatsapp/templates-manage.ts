// Editing and deleting templates at Meta, and following in the local library.
// Meta's rules are checked first, so the user gets a clear reason without a
// round trip: only APPROVED, REJECTED or PAUSED templates can be edited, an
// approved template keeps its category and allows 1 edit per 24 h and 10 per
// 30 days (counted from the edits made here); disabled templates cannot be
// deleted. Whatever Meta still refuses is shown in the user's language.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import { toJson } from '../db/rows.js';
import { clientFor } from './graph-clients.js';
import { allNumbers, numberSecrets, type WaNumber } from './numbers-queries.js';
import type { TemplateCategory, TemplateComponentDef } from './cloud-api-types.js';
import { templateMetaError } from './templates-errors.js';
import { templateById, toTemplate, type LocalTemplate } from './templates-store.js';

export const EDITABLE_STATUSES: readonly string[] = ['APPROVED', 'REJECTED', 'PAUSED'];
const DAY_MS = 24 * 3600_000;
const MONTH_MS = 30 * DAY_MS;

export const canEdit = (t: Pick<LocalTemplate, 'status' | 'metaId'>) => !!t.metaId && EDITABLE_STATUSES.includes(t.status);
export const canDelete = (t: Pick<LocalTemplate, 'status'>) => t.status !== 'DISABLED' && t.status !== 'DELETED';

async function found(deps: Deps, id: number): Promise<LocalTemplate> {
  const t = await templateById(deps.db, id);
  if (!t) throw new NotFound('whatsapp.template_not_found');
  return t;
}

/** A number of the template's WABA to call Meta with (active ones first). */
export async function ownerOf(deps: Deps, wabaId: string): Promise<WaNumber> {
  const candidates = (await allNumbers(deps.db)).filter((n) => n.wabaId === wabaId);
  const n = candidates.find((x) => x.status === 'active') ?? candidates[0];
  if (!n) throw new Invalid({ _: { code: 'whatsapp.templates.no_number' } });
  return n;
}

/** The new content: every component (they replace the old ones), the category and the parameter format. */
export type TemplateChange = { category: TemplateCategory; parameterFormat: 'POSITIONAL' | 'NAMED'; components: TemplateComponentDef[] };

function checkEditable(t: LocalTemplate, v: TemplateChange, now: number): void {
  if (!t.metaId) throw new Invalid({ _: { code: 'whatsapp.templates.not_at_meta' } });
  if (!EDITABLE_STATUSES.includes(t.status)) throw new Invalid({ _: { code: 'whatsapp.templates.not_editable', params: { status: t.status } } });
  if (t.status !== 'APPROVED') return;
  if (v.category !== t.category) throw new Invalid({ category: { code: 'whatsapp.templates.category_locked' } });
  const recent = t.editedAt.filter((at) => now - at < MONTH_MS);
  const last = Math.max(0, ...recent);
  if (now - last < DAY_MS) throw new Invalid({ _: { code: 'whatsapp.templates.edit_daily', params: { hours: Math.ceil((DAY_MS - (now - last)) / 3600_000) } } });
  if (recent.length >= 10) throw new Invalid({ _: { code: 'whatsapp.templates.edit_monthly' } });
}

/** POST /{template-id} with the new components (and category); the template goes back to review (PENDING). */
export async function editTemplate(deps: Deps, id: number, v: TemplateChange, audit: Audit): Promise<LocalTemplate> {
  const t = await found(deps, id);
  const now = deps.clock.now();
  checkEditable(t, v, now);
  const n = await ownerOf(deps, t.wabaId);
  const { components } = v;
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    await clientFor(deps, n).editTemplate(t.metaId!, accessToken, {
      components, parameterFormat: v.parameterFormat, ...(v.category !== t.category ? { category: v.category } : {}),
    });
  } catch (err) {
    throw templateMetaError(err);
  }
  const editedAt = t.status === 'APPROVED' ? [...t.editedAt.filter((at) => now - at < MONTH_MS), now] : t.editedAt;
  await deps.db.transaction(async (trx) => {
    await trx('templates').where({ id }).update({
      category: v.category, components: toJson(components), parameter_format: v.parameterFormat === 'NAMED' ? 'named' : 'positional',
      status: 'PENDING', rejected_reason: null, edited_at: toJson(editedAt), updated_at: now,
    });
    await audit(trx, { action: 'whatsapp.template_edited', entityType: 'template', entityId: id, before: { category: t.category, status: t.status }, after: { category: v.category, status: 'PENDING' } });
  });
  deps.events.emit('template.updated', { templateId: id, status: 'PENDING' });
  return toTemplate((await deps.db('templates').where({ id }).first())!);
}

export type DeleteScope = 'language' | 'all';

/** Deletes one language (hsm_id + name) or every language of the name; the rows stay, marked DELETED. */
export async function deleteTemplate(deps: Deps, id: number, scope: DeleteScope, audit: Audit): Promise<{ name: string; deleted: LocalTemplate[] }> {
  const t = await found(deps, id);
  if (t.status === 'DELETED') throw new Invalid({ _: { code: 'whatsapp.templates.already_deleted' } });
  const rows = scope === 'all'
    ? (await deps.db('templates').where({ waba_id: t.wabaId, name: t.name }).whereNot({ status: 'DELETED' }).select('*')).map(toTemplate)
    : [t];
  const disabled = rows.find((r) => r.status === 'DISABLED');
  if (disabled) throw new Invalid({ _: { code: 'whatsapp.templates.delete_disabled', params: { language: disabled.language } } });
  if (scope === 'language' && !t.metaId) throw new Invalid({ _: { code: 'whatsapp.templates.not_at_meta' } });
  const n = await ownerOf(deps, t.wabaId);
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    await clientFor(deps, n).deleteTemplate(t.wabaId, accessToken, scope === 'all' ? { name: t.name } : { name: t.name, hsmId: t.metaId! });
  } catch (err) {
    throw templateMetaError(err);
  }
  const now = deps.clock.now();
  const ids = rows.map((r) => r.id);
  await deps.db.transaction(async (trx) => {
    await trx('templates').whereIn('id', ids).update({ status: 'DELETED', updated_at: now });
    await audit(trx, { action: 'whatsapp.template_deleted', entityType: 'template', entityId: id, before: { name: t.name, languages: rows.map((r) => r.language) } });
  });
  for (const rid of ids) deps.events.emit('template.updated', { templateId: rid, status: 'DELETED' });
  return { name: t.name, deleted: rows.map((r) => ({ ...r, status: 'DELETED', updatedAt: now })) };
}
