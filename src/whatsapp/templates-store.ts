// templates rows ↔ LocalTemplate, and reading a template's variables.
import type { Db } from '../db/knex.js';
import { json } from '../db/rows.js';
import type { TemplateComponentDef } from './cloud-api-types.js';

export type LocalTemplate = {
  id: number;
  wabaId: string;
  metaId: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  quality: string | null;
  components: TemplateComponentDef[];
  parameterFormat: 'positional' | 'named';
  rejectedReason: string | null;
  /** Edits made through ChatFlow while APPROVED, epoch ms (Meta: 1 per 24 h, 10 per 30 days). */
  editedAt: number[];
  syncedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export function toTemplate(r: Record<string, unknown>): LocalTemplate {
  return {
    id: Number(r.id),
    wabaId: String(r.waba_id),
    metaId: r.meta_id ? String(r.meta_id) : null,
    name: String(r.name),
    language: String(r.language),
    category: String(r.category),
    status: String(r.status),
    quality: r.quality ? String(r.quality) : null,
    components: json<TemplateComponentDef[]>(r.components, []),
    parameterFormat: r.parameter_format === 'named' ? 'named' : 'positional',
    rejectedReason: r.rejected_reason ? String(r.rejected_reason) : null,
    editedAt: json<unknown[]>(r.edited_at, []).map(Number).filter(Number.isFinite),
    syncedAt: r.synced_at === null || r.synced_at === undefined ? null : Number(r.synced_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function templateById(db: Db, id: number): Promise<LocalTemplate | undefined> {
  const row = await db('templates').where({ id }).first();
  return row ? toTemplate(row) : undefined;
}

export function componentOf(t: Pick<LocalTemplate, 'components'>, type: TemplateComponentDef['type']): TemplateComponentDef | undefined {
  return t.components.find((c) => String(c.type).toUpperCase() === type);
}

const VAR = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

/** Distinct placeholders in order of first appearance: ['1','2'] or ['first_name']. */
export function variablesOf(text: string | undefined): string[] {
  const seen: string[] = [];
  for (const m of (text ?? '').matchAll(VAR)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

/** Fills {{1}} / {{name}} with values (positional array or named object); unknown ones stay visible. */
export function fillVariables(text: string, values: string[] | Record<string, string>): string {
  return text.replace(VAR, (whole, name: string) => {
    const v = Array.isArray(values) ? values[Number(name) - 1] : values[name];
    return v === undefined || v === '' ? whole : v;
  });
}

/** The text a person sees for a template send (header + body + footer, filled). */
export function renderTemplateText(t: Pick<LocalTemplate, 'components'>, body: string[] | Record<string, string>, headerText?: string): string {
  const header = componentOf(t, 'HEADER');
  const parts: string[] = [];
  if (header && (header.format ?? 'TEXT') === 'TEXT' && header.text) {
    // One variable at most: {{1}} or, in a NAMED template, {{name}}.
    const name = variablesOf(header.text)[0];
    parts.push(fillVariables(header.text, headerText && name ? { [name]: headerText } : {}));
  }
  const b = componentOf(t, 'BODY');
  if (b?.text) parts.push(fillVariables(b.text, body));
  const f = componentOf(t, 'FOOTER');
  if (f?.text) parts.push(f.text);
  return parts.join('\n');
}
