// The "new template" form, validated like Meta validates a submission
// (cloud-api.md §6): lower_snake names, a known category and language, a body
// whose {{1}}…{{n}} are numbered in order, not at the very start or end, each
// with an example value; optional text/media header, footer and buttons.
import { z } from 'zod';
import { variablesOf } from './templates-store.js';

export const TEMPLATE_LANGUAGES = ['es_MX', 'es', 'es_ES', 'es_AR', 'es_CO', 'es_CL', 'es_PE', 'en_US', 'en', 'en_GB', 'pt_BR'] as const;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const HEADER_TYPES = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const;

const opt = (max: number) => z.string().trim().max(max).optional().default('');
const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

export const TemplateForm = z.object({
  number_id: z.coerce.number().int().positive(),
  name: z.string().trim().min(1).max(512).regex(/^[a-z0-9_]+$/, 'whatsapp.templates.name_rules'),
  language: z.enum(TEMPLATE_LANGUAGES),
  category: z.enum(TEMPLATE_CATEGORIES),
  header_type: z.enum(HEADER_TYPES).default('NONE'),
  header_text: opt(60),
  header_example: opt(500),
  body: z.string().trim().min(1).max(1024),
  body_examples: opt(2000),
  footer: opt(60),
  quick_replies: opt(200),
  url_text: opt(25),
  url: opt(2000),
  url_example: opt(500),
}).superRefine((v, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const vars = variablesOf(v.body);
  if (vars.some((x, i) => x !== String(i + 1))) issue('body', 'whatsapp.templates.vars_order');
  const trimmed = v.body.trim();
  if (/^\{\{\s*\d+\s*\}\}/.test(trimmed) || /\{\{\s*\d+\s*\}\}[.!?¡¿\s]*$/.test(trimmed)) issue('body', 'whatsapp.templates.vars_edges');
  if (lines(v.body_examples).length < vars.length) issue('body_examples', 'whatsapp.templates.examples_missing');
  if (v.header_type === 'TEXT' && !v.header_text) issue('header_text', 'validation.required');
  if (v.header_type === 'TEXT' && variablesOf(v.header_text).length > 0 && !v.header_example) issue('header_example', 'whatsapp.templates.examples_missing');
  if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(v.header_type) && !v.header_example) issue('header_example', 'whatsapp.templates.media_handle');
  const qr = v.quick_replies.split(',').map((s) => s.trim()).filter(Boolean);
  if (qr.length > 3 || qr.some((q) => [...q].length > 20)) issue('quick_replies', 'whatsapp.templates.quick_replies');
  if ((v.url_text || v.url) && !(v.url_text && /^https:\/\/\S+$/.test(v.url))) issue('url', 'whatsapp.templates.url_button');
  if (v.url.includes('{{') && !v.url_example) issue('url_example', 'whatsapp.templates.examples_missing');
});
export type TemplateForm = z.infer<typeof TemplateForm>;

export function bodyExamples(v: Pick<TemplateForm, 'body_examples'>): string[] {
  return lines(v.body_examples);
}
