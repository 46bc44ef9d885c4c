// Form values ↔ Meta's template components (upper-case types, examples for
// every variable: `body_text` / `header_text` for POSITIONAL templates,
// `body_text_named_params` / `header_text_named_params` for NAMED ones, and
// `header_handle` for a media header's uploaded sample).
import type { TemplateComponentDef } from './cloud-api-types.js';
import { bodyExamples, namedExamples, type TemplateContent } from './templates-schema.js';
import { componentOf, variablesOf, type LocalTemplate } from './templates-store.js';

type Named = Array<{ param_name: string; example: string }>;

function header(v: TemplateContent): TemplateComponentDef | undefined {
  if (v.header_type === 'NONE') return undefined;
  if (v.header_type === 'TEXT') {
    const h: TemplateComponentDef = { type: 'HEADER', format: 'TEXT', text: v.header_text };
    const name = variablesOf(v.header_text)[0];
    if (name) h.example = v.parameter_format === 'NAMED' ? { header_text_named_params: [{ param_name: name, example: v.header_example }] } : { header_text: [v.header_example] };
    return h;
  }
  // A location header has no example: the location is given at send time.
  if (v.header_type === 'LOCATION') return { type: 'HEADER', format: 'LOCATION' };
  return { type: 'HEADER', format: v.header_type, example: { header_handle: [v.header_handle] } };
}

function buttons(v: TemplateContent): TemplateComponentDef | undefined {
  const list: NonNullable<TemplateComponentDef['buttons']> = v.quick_replies.split(',').map((s) => s.trim()).filter(Boolean)
    .map((text) => ({ type: 'QUICK_REPLY', text }));
  if (v.url_text && v.url) list.push({ type: 'URL', text: v.url_text, url: v.url, ...(v.url.includes('{{') ? { example: [v.url_example] } : {}) });
  return list.length ? { type: 'BUTTONS', buttons: list } : undefined;
}

export function componentsOf(v: TemplateContent): TemplateComponentDef[] {
  const vars = variablesOf(v.body);
  const body: TemplateComponentDef = { type: 'BODY', text: v.body };
  if (vars.length && v.parameter_format === 'NAMED') {
    const ex = namedExamples(v.body_examples);
    body.example = { body_text_named_params: vars.map((n) => ({ param_name: n, example: ex[n] ?? '' })) };
  } else if (vars.length) {
    body.example = { body_text: [bodyExamples(v).slice(0, vars.length)] };
  }
  return [header(v), body, v.footer ? { type: 'FOOTER', text: v.footer } as TemplateComponentDef : undefined, buttons(v)]
    .filter((c): c is TemplateComponentDef => !!c);
}

/** Example values of a template's body variables, by name ('1', 'first_name'). */
export function bodyExampleValues(t: Pick<LocalTemplate, 'components'>): Record<string, string> {
  const body = componentOf(t, 'BODY');
  const vars = variablesOf(body?.text);
  const named = body?.example?.body_text_named_params as Named | undefined;
  if (Array.isArray(named)) return Object.fromEntries(named.filter((p) => p && typeof p.param_name === 'string').map((p) => [p.param_name, String(p.example ?? '')]));
  const positional = (body?.example?.body_text as string[][] | undefined)?.[0] ?? [];
  return Object.fromEntries(vars.map((n, i) => [n, String(positional[i] ?? '')]));
}

/** The edit form's values for a template as stored (the inverse of componentsOf). */
export function contentValues(t: LocalTemplate): Record<string, string> {
  const h = componentOf(t, 'HEADER');
  const body = componentOf(t, 'BODY');
  const named = t.parameterFormat === 'named';
  const examples = bodyExampleValues(t);
  const vars = variablesOf(body?.text);
  const headerExample = h?.example?.header_text_named_params as Named | undefined;
  const btns = componentOf(t, 'BUTTONS')?.buttons ?? [];
  const url = btns.find((b) => b.type === 'URL');
  const format = h ? (h.format ?? 'TEXT') : 'NONE';
  return {
    category: t.category,
    parameter_format: named ? 'NAMED' : 'POSITIONAL',
    header_type: format,
    header_text: format === 'TEXT' ? h?.text ?? '' : '',
    header_example: String(headerExample?.[0]?.example ?? (h?.example?.header_text as string[] | undefined)?.[0] ?? ''),
    header_handle: String((h?.example?.header_handle as string[] | undefined)?.[0] ?? ''),
    header_file: '',
    body: body?.text ?? '',
    body_examples: vars.map((n) => (named ? `${n}: ${examples[n] ?? ''}` : examples[n] ?? '')).join('\n'),
    footer: componentOf(t, 'FOOTER')?.text ?? '',
    quick_replies: btns.filter((b) => b.type === 'QUICK_REPLY').map((b) => b.text ?? '').join(', '),
    url_text: url?.text ?? '',
    url: url?.url ?? '',
    url_example: String((url?.example as string[] | undefined)?.[0] ?? ''),
  };
}
