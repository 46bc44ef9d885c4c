// What the composer offers, decided by the 24-hour window (window.ts): free
// text inside it, only APPROVED templates outside. The send service enforces
// the same rules; this module only keeps the UI from offering what it refuses.
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import type { T } from '../i18n/i18n.js';
import { num } from '../db/rows.js';
import { ATTACHMENT_TYPES } from '../whatsapp/media-service.js';
import { LIMITS } from '../whatsapp/messages.js';
import { conversationWindow, type WindowState } from '../whatsapp/send-service.js';
import { BUTTON_SLOTS, F, LIST_ROW_SLOTS, LIST_SECTION_SLOTS } from './compose-input.js';
import { componentOf, fillVariables, templateById, toTemplate, variablesOf, type LocalTemplate } from '../whatsapp/templates-store.js';
import { listQuickReplies, renderQuickReply, type QuickReplyVars } from './quick-replies.js';
import type { Conversation } from './queries.js';

export type TemplateOption = { id: number; name: string; language: string; category: string };

export type TemplateForm = {
  id: number;
  name: string;
  language: string;
  /** Raw body with {{n}} / {{name}} placeholders; the preview script fills it in the browser. */
  bodyText: string;
  vars: Array<{ name: string; field: string; value: string }>;
  headerVar: { field: string; value: string } | null;
  preview: string;
};

export type ComposerView = {
  mayReply: boolean;
  window: WindowState & { label: string };
  quickReplies: Array<{ id: number; shortcut: string; title: string; text: string }>;
  templates: TemplateOption[];
  template: TemplateForm | null;
  /** Attachments and interactive messages: only while the window is open. */
  more: ComposeMore | null;
};

/** What the attachment, buttons and list forms need (views/inbox/_compose-more.ejs). */
export type ComposeMore = {
  /** The file input's `accept`: WhatsApp's types by extension and MIME type. */
  accept: string;
  limits: typeof LIMITS;
  fields: typeof F;
  buttonSlots: number[];
  sectionSlots: number[];
  rowSlots: number[];
};

const range = (n: number) => Array.from({ length: n }, (_v, i) => i);

export const COMPOSE_MORE: ComposeMore = Object.freeze({
  accept: [...ATTACHMENT_TYPES.flatMap((t) => t.ext.map((e) => `.${e}`)), ...ATTACHMENT_TYPES.map((t) => t.mime)].join(','),
  limits: LIMITS, fields: F,
  buttonSlots: range(BUTTON_SLOTS), sectionSlots: range(LIST_SECTION_SLOTS), rowSlots: range(LIST_ROW_SLOTS),
});

/** "23 h 58 min" left, or "12 min"; the browser keeps it current (public/js/inbox.js). */
export function windowLabel(w: WindowState, t: T): string {
  if (!w.open) return t('inbox.window.closed');
  const minutes = Math.max(1, Math.ceil(w.msLeft / 60_000));
  const h = Math.floor(minutes / 60);
  return h > 0 ? t('inbox.window.left_hm', { h, m: minutes % 60 }) : t('inbox.window.left_m', { m: minutes });
}

export async function approvedTemplates(db: Db, wabaId: string): Promise<TemplateOption[]> {
  const rows = await db('templates').where({ waba_id: wabaId, status: 'APPROVED' }).orderBy([{ column: 'name' }, { column: 'language' }]);
  return rows.map((r: Record<string, unknown>) => {
    const tpl = toTemplate(r);
    return { id: num(tpl.id), name: tpl.name, language: tpl.language, category: tpl.category };
  });
}

/** Field name of a template variable in the form: var_1, var_first_name. */
export const varField = (name: string) => `var_${name}`;

function templateForm(tpl: LocalTemplate, values: Record<string, unknown>): TemplateForm {
  const bodyText = componentOf(tpl, 'BODY')?.text ?? '';
  const vars = variablesOf(bodyText).map((name) => ({ name, field: varField(name), value: String(values[varField(name)] ?? '') }));
  const header = componentOf(tpl, 'HEADER');
  const headerNeeds = header && (header.format ?? 'TEXT') === 'TEXT' && variablesOf(header.text).length > 0;
  const filled = Object.fromEntries(vars.filter((v) => v.value).map((v) => [v.name, v.value]));
  return {
    id: tpl.id, name: tpl.name, language: tpl.language, bodyText, vars,
    headerVar: headerNeeds ? { field: 'header_text', value: String(values.header_text ?? '') } : null,
    preview: fillVariables(bodyText, filled),
  };
}

export type ComposerInput = {
  conversation: Conversation;
  mayReply: boolean;
  t: T;
  vars: QuickReplyVars;
  /** A chosen template (query ?template= or the posted template_id) and the typed values. */
  templateId?: number;
  values?: Record<string, unknown>;
};

export async function composerView(deps: Pick<Deps, 'db' | 'clock'>, c: ComposerInput): Promise<ComposerView> {
  const w = conversationWindow(c.conversation, deps.clock.now());
  const window = { ...w, label: windowLabel(w, c.t) };
  if (!c.mayReply) return { mayReply: false, window, quickReplies: [], templates: [], template: null, more: null };
  const qrs = await listQuickReplies(deps.db);
  const quickReplies = qrs.map((q) => ({ id: q.id, shortcut: q.shortcut, title: q.title, text: renderQuickReply(q.body, c.vars) }));
  const templates = w.open ? [] : await approvedTemplates(deps.db, c.conversation.wabaId);
  const chosen = !w.open && c.templateId && templates.some((x) => x.id === c.templateId) ? await templateById(deps.db, c.templateId) : undefined;
  return { mayReply: true, window, quickReplies, templates, template: chosen ? templateForm(chosen, c.values ?? {}) : null, more: w.open ? COMPOSE_MORE : null };
}

/** The posted variable fields → the send service's params (positional array or named object). */
export async function templateParamsFrom(db: Db, templateId: number, body: Record<string, unknown>): Promise<{ params: string[] | Record<string, string>; header?: { text: string } }> {
  const tpl = await templateById(db, templateId);
  const names = variablesOf(tpl ? componentOf(tpl, 'BODY')?.text : '');
  const value = (n: string) => String(body[varField(n)] ?? '').trim();
  const params = tpl?.parameterFormat === 'named' ? Object.fromEntries(names.map((n) => [n, value(n)])) : names.map(value);
  const headerText = String(body.header_text ?? '').trim();
  return { params, ...(headerText ? { header: { text: headerText } } : {}) };
}
