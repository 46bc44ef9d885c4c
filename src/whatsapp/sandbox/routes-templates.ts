// Template management endpoints (cloud-api.md §6): paged list, create (PENDING), edit, delete.
import { arr, isObj, str } from '../json-read.js';
import type { Ctx } from './context.js';
import { readBody, sendGraphError, sendJson } from './http.js';
import type { StoredTemplate } from './state.js';
import { checkTemplateComponents } from './template-rules.js';

const MAX_TEMPLATES = 250;
const CATEGORIES = new Set(['MARKETING', 'UTILITY', 'AUTHENTICATION']);

const cursor = (i: number) => Buffer.from(`idx:${i}`).toString('base64url');
function fromCursor(c: string | null): number {
  if (!c) return 0;
  const m = /^idx:(\d+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : -1;
}

function present(t: StoredTemplate, fields: string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    parameter_format: t.parameter_format,
    components: t.components,
  };
  if (!fields) return full;
  const out: Record<string, unknown> = { id: t.id };
  for (const f of fields) if (f in full) out[f] = full[f];
  return out;
}

export function handleList(ctx: Ctx, wabaId: string): void {
  const q = ctx.url.searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 25) || 25, 1), 1000);
  const start = fromCursor(q.get('after'));
  if (start < 0) return sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details: 'after cursor is not valid' });
  const name = q.get('name')?.toLowerCase();
  const status = q.get('status')?.toUpperCase();
  const fields = q.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const all = ctx.rt.state
    .templatesOf(wabaId)
    .filter((t) => (!name || t.name.toLowerCase().includes(name)) && (!status || t.status === status));
  const slice = all.slice(start, start + limit);
  const body: Record<string, unknown> = { data: slice.map((t) => present(t, fields)) };
  if (slice.length > 0) {
    const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + slice.length) } };
    if (start + slice.length < all.length) {
      const next = new URL(`${ctx.rt.baseUrl}/${ctx.version}/${wabaId}/message_templates`);
      for (const [k, v] of q) if (k !== 'after') next.searchParams.set(k, v);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', cursor(start + slice.length));
      paging.next = next.toString();
    }
    body.paging = paging;
  }
  sendJson(ctx.res, 200, body);
}

export async function handleCreate(ctx: Ctx, wabaId: string): Promise<void> {
  let def: unknown;
  try {
    def = JSON.parse((await readBody(ctx.req, 1024 * 1024)).toString('utf8'));
  } catch {
    def = undefined;
  }
  const bad = (details: string, subcode?: number) => sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details, subcode });
  if (!isObj(def)) return bad('body must be a JSON object');
  const name = str(def.name);
  const language = str(def.language);
  const category = str(def.category)?.toUpperCase();
  if (!name || !/^[a-z0-9_]{1,512}$/.test(name)) return bad('name must match ^[a-z0-9_]+$');
  if (!language) return bad('language is required');
  if (!category || !CATEGORIES.has(category)) return bad('category must be MARKETING, UTILITY or AUTHENTICATION');
  if (!Array.isArray(def.components) || def.components.length === 0) return bad('components are required');
  const { state } = ctx.rt;
  if (state.findTemplate(wabaId, name, language)) {
    return bad(`Content in this language already exists for ${name}`, 2388024);
  }
  if (state.templatesOf(wabaId).length >= MAX_TEMPLATES) return bad('Message template limit exceeded', 2388019);
  const format = str(def.parameter_format)?.toUpperCase();
  if (format && format !== 'NAMED' && format !== 'POSITIONAL') return bad('parameter_format must be POSITIONAL or NAMED');
  const problem = checkTemplateComponents(def.components, format, state);
  if (problem) return sendGraphError(ctx.res, problem);
  const t = state.addTemplate({
    wabaId,
    name,
    language,
    category: category as StoredTemplate['category'],
    components: arr(def.components) as StoredTemplate['components'],
    parameterFormat: format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    status: 'PENDING',
  });
  sendJson(ctx.res, 200, { id: t.id, status: t.status, category: t.category });
}

export function handleDelete(ctx: Ctx, wabaId: string): void {
  const name = ctx.url.searchParams.get('name');
  if (!name) return sendGraphError(ctx.res, { code: 100, message: '(#100) The parameter name is required.' });
  const hsmId = ctx.url.searchParams.get('hsm_id') ?? undefined;
  const targets = ctx.rt.state.templatesOf(wabaId).filter((t) => t.name === name && (hsmId === undefined || t.id === hsmId));
  if (targets.some((t) => t.status === 'DISABLED')) {
    return sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details: 'Disabled message templates cannot be deleted' });
  }
  const removed = ctx.rt.state.deleteTemplates(wabaId, name, hsmId);
  if (removed === 0) {
    return sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details: `Message template "${name}" not found` });
  }
  sendJson(ctx.res, 200, { success: true });
}

const EDITABLE = new Set(['APPROVED', 'REJECTED', 'PAUSED']);
const DAY_MS = 24 * 3600_000;

/** POST /{template-id}: new category and/or components (replacing all); back to review. */
export async function handleEdit(ctx: Ctx, t: StoredTemplate): Promise<void> {
  let def: unknown;
  try {
    def = JSON.parse((await readBody(ctx.req, 1024 * 1024)).toString('utf8'));
  } catch {
    def = undefined;
  }
  const bad = (details: string) => sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details });
  if (!isObj(def)) return bad('body must be a JSON object');
  const category = str(def.category)?.toUpperCase();
  if (category === undefined && def.components === undefined) return bad('category or components is required');
  if (category !== undefined && !CATEGORIES.has(category)) return bad('category must be MARKETING, UTILITY or AUTHENTICATION');
  if (!EDITABLE.has(t.status)) return bad(`Only APPROVED, REJECTED or PAUSED templates can be edited; this one is ${t.status}`);
  const now = ctx.rt.state.now();
  if (t.status === 'APPROVED') {
    if (category !== undefined && category !== t.category) return bad('The category of an approved template cannot be changed');
    const recent = t.approvedEdits.filter((at) => now - at < 30 * DAY_MS);
    if (recent.some((at) => now - at < DAY_MS)) return bad('An approved template can be edited once per 24 hours');
    if (recent.length >= 10) return bad('An approved template can be edited 10 times per 30 days');
  }
  const format = str(def.parameter_format)?.toUpperCase() ?? t.parameter_format;
  if (format !== 'NAMED' && format !== 'POSITIONAL') return bad('parameter_format must be POSITIONAL or NAMED');
  if (def.components !== undefined) {
    const problem = checkTemplateComponents(def.components, format, ctx.rt.state);
    if (problem) return sendGraphError(ctx.res, problem);
    t.components = arr(def.components) as StoredTemplate['components'];
    t.parameter_format = format;
  }
  if (t.status === 'APPROVED') t.approvedEdits = [...t.approvedEdits.filter((at) => now - at < 30 * DAY_MS), now];
  if (category !== undefined) t.category = category as StoredTemplate['category'];
  t.status = 'PENDING';
  sendJson(ctx.res, 200, { success: true });
}
