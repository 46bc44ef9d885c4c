// The "new template" and "edit template" forms, validated like Meta validates
// a submission (cloud-api.md §6): lower_snake names, a known category and
// language, a body whose variables are {{1}}…{{n}} in order (POSITIONAL) or
// {{first_name}}-style names of lower-case letters and underscores (NAMED),
// never at the very start or end, each with an example value; an optional
// text header (one variable at most) or a media header with its uploaded
// sample, footer and buttons.
import { z } from 'zod';
import { variablesOf } from './templates-store.js';

export const TEMPLATE_LANGUAGES = ['es_MX', 'es', 'es_ES', 'es_AR', 'es_CO', 'es_CL', 'es_PE', 'en_US', 'en', 'en_GB', 'pt_BR'] as const;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const HEADER_TYPES = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export const MEDIA_HEADERS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;
export const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;
export type MediaHeader = (typeof MEDIA_HEADERS)[number];

/** A NAMED parameter: lower-case letters and underscores (Meta's rule). */
export const PARAM_NAME = /^[a-z_]+$/;

const opt = (max: number) => z.string().trim().max(max).optional().default('');
const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** Everything an edit can change (name, language and number are fixed once submitted). */
const content = {
  category: z.enum(TEMPLATE_CATEGORIES),
  parameter_format: z.enum(PARAMETER_FORMATS).default('POSITIONAL'),
  header_type: z.enum(HEADER_TYPES).default('NONE'),
  header_text: opt(60),
  header_example: opt(500),
  /** The example handle Meta gave for the uploaded sample (filled by the upload step). */
  header_handle: opt(2000),
  /** The sample's file name, for showing it again after an error. */
  header_file: opt(255),
  body: z.string().trim().min(1).max(1024),
  body_examples: opt(2000),
  footer: opt(60),
  quick_replies: opt(200),
  url_text: opt(25),
  url: opt(2000),
  url_example: opt(500),
};

const ContentShape = z.object(content);
type Content = z.infer<typeof ContentShape>;

/**
 * Examples typed one per line. POSITIONAL: in order. NAMED: `first_name: Ana`
 * (or `first_name = Ana`); a line without a name is ignored.
 */
export function namedExamples(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines(text)) {
    const m = /^\{{0,2}\s*([a-z_]+)\s*\}{0,2}\s*[:=]\s*(.+)$/.exec(l);
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

export function bodyExamples(v: Pick<Content, 'body_examples'>): string[] {
  return lines(v.body_examples);
}

const AT_EDGE = [/^\{\{\s*[^{}\s]+\s*\}\}/, /\{\{\s*[^{}\s]+\s*\}\}[.!?¡¿\s]*$/];

function checkContent(v: Content, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const named = v.parameter_format === 'NAMED';
  const vars = variablesOf(v.body);
  if (named && vars.some((x) => !PARAM_NAME.test(x))) issue('body', 'whatsapp.templates.named_rules');
  if (!named && vars.some((x, i) => x !== String(i + 1))) issue('body', 'whatsapp.templates.vars_order');
  if (AT_EDGE.some((re) => re.test(v.body.trim()))) issue('body', 'whatsapp.templates.vars_edges');
  const examples = named ? namedExamples(v.body_examples) : null;
  if (examples ? vars.some((x) => !examples[x]) : bodyExamples(v).length < vars.length) issue('body_examples', 'whatsapp.templates.examples_missing');
  if (v.header_type === 'TEXT') {
    const hv = variablesOf(v.header_text);
    if (!v.header_text) issue('header_text', 'validation.required');
    else if (hv.length > 1 || (hv.length === 1 && (named ? !PARAM_NAME.test(hv[0]!) : hv[0] !== '1'))) issue('header_text', named ? 'whatsapp.templates.header_var_named' : 'whatsapp.templates.header_var');
    if (hv.length > 0 && !v.header_example) issue('header_example', 'whatsapp.templates.examples_missing');
  }
  if ((MEDIA_HEADERS as readonly string[]).includes(v.header_type) && !v.header_handle) issue('header_file', 'whatsapp.templates.media_handle');
  const qr = v.quick_replies.split(',').map((s) => s.trim()).filter(Boolean);
  if (qr.length > 3 || qr.some((q) => [...q].length > 20)) issue('quick_replies', 'whatsapp.templates.quick_replies');
  if ((v.url_text || v.url) && !(v.url_text && /^https:\/\/\S+$/.test(v.url))) issue('url', 'whatsapp.templates.url_button');
  if (v.url.includes('{{') && !v.url_example) issue('url_example', 'whatsapp.templates.examples_missing');
}

export const TemplateForm = z.object({
  number_id: z.coerce.number().int().positive(),
  name: z.string().trim().min(1).max(512).regex(/^[a-z0-9_]+$/, 'whatsapp.templates.name_rules'),
  language: z.enum(TEMPLATE_LANGUAGES),
  ...content,
}).superRefine(checkContent);
export type TemplateForm = z.infer<typeof TemplateForm>;

export const TemplateEditForm = ContentShape.superRefine(checkContent);
export type TemplateContent = z.infer<typeof TemplateEditForm>;
