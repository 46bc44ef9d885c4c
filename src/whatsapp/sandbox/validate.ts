// Validates a send body the way the Cloud API does, answering the same codes:
// 100/131008/131009 (shape), 131051 (type), 132001/132015/132016 (template
// state), 132000 (parameter count), 132012 (format), 132018 (text rules).
import { arr, isObj, num, obj, str, type Json } from '../json-read.js';
import type { StoredTemplate } from './state.js';

export interface GraphFailure {
  code: number;
  message: string;
  details?: string;
  subcode?: number;
}

const fail = (code: number, message: string, details?: string): GraphFailure => ({ code, message: `(#${code}) ${message}`, details });
const missing = (what: string) => fail(131008, 'Required parameter is missing', `${what} is required`);
const invalid = (what: string) => fail(131009, 'Parameter value is not valid', what);

const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const TYPES = new Set([...MEDIA, 'text', 'location', 'contacts', 'interactive', 'template', 'reaction']);
const chars = (s: string) => [...s].length;

export type TemplateLookup = (name: string, language: string) => StoredTemplate | undefined;

/** Checks the envelope and the type-specific object; null when acceptable. */
export function validateSend(body: Json, lookup: TemplateLookup): GraphFailure | null {
  if (body.messaging_product !== 'whatsapp') return fail(100, 'The parameter messaging_product is required.');
  const to = str(body.to);
  if (!to) return fail(100, 'The parameter to is required.');
  const digits = to.replace(/\D/g, '').length;
  if (!to.startsWith('user.') && (digits < 7 || digits > 15)) return fail(100, 'Invalid parameter', 'to is not a valid phone number');
  const cb = body.biz_opaque_callback_data;
  if (cb !== undefined && (typeof cb !== 'string' || Buffer.byteLength(cb) > 512)) {
    return fail(100, 'Invalid parameter', 'biz_opaque_callback_data must be a string of at most 512 bytes');
  }
  const type = str(body.type) ?? 'text';
  if (!TYPES.has(type)) return fail(131051, 'Unsupported message type', `type ${type} is not supported`);
  if (type === 'contacts') return validateContacts(body.contacts);
  const part = obj(body[type]);
  if (!part) return missing(type);
  if (type === 'text') {
    const text = str(part.body);
    if (!text) return missing('text.body');
    return chars(text) > 4096 ? fail(100, 'Invalid parameter', 'text.body is longer than 4096 characters') : null;
  }
  if (MEDIA.has(type)) {
    if (!str(part.id) && !str(part.link)) return missing(`${type}.id or ${type}.link`);
    const caption = str(part.caption);
    return caption && chars(caption) > 1024 ? fail(100, 'Invalid parameter', 'caption is longer than 1024 characters') : null;
  }
  if (type === 'location') {
    return num(part.latitude) === undefined || num(part.longitude) === undefined ? missing('location.latitude/longitude') : null;
  }
  if (type === 'reaction') {
    if (!str(part.message_id)) return missing('reaction.message_id');
    return typeof part.emoji === 'string' ? null : missing('reaction.emoji');
  }
  if (type === 'interactive') return validateInteractive(part);
  return validateTemplate(part, lookup);
}

function validateContacts(v: unknown): GraphFailure | null {
  const list = arr(v);
  if (list.length === 0) return missing('contacts');
  return list.every((c) => str(obj(obj(c)?.name)?.formatted_name)) ? null : missing('contacts[].name.formatted_name');
}

function validateInteractive(i: Json): GraphFailure | null {
  const body = str(obj(i.body)?.text);
  if (!body) return missing('interactive.body.text');
  const footer = str(obj(i.footer)?.text);
  if (footer && chars(footer) > 60) return invalid('footer.text is longer than 60 characters');
  const action = obj(i.action) ?? {};
  if (i.type === 'button') {
    if (chars(body) > 1024) return invalid('body.text is longer than 1024 characters');
    const buttons = arr(action.buttons).map((b) => obj(obj(b)?.reply) ?? {});
    if (buttons.length < 1 || buttons.length > 3) return invalid('between 1 and 3 buttons are allowed');
    const titles = buttons.map((b) => str(b.title) ?? '');
    if (titles.some((t) => !t || chars(t) > 20)) return invalid('button titles must be 1-20 characters');
    if (new Set(titles).size !== titles.length) return invalid('button titles must be unique');
    if (buttons.some((b) => !str(b.id) || chars(str(b.id)!) > 256)) return invalid('button ids must be 1-256 characters');
    return null;
  }
  if (i.type === 'list') {
    if (chars(body) > 4096) return invalid('body.text is longer than 4096 characters');
    const button = str(action.button);
    if (!button || chars(button) > 20) return invalid('action.button must be 1-20 characters');
    const sections = arr(action.sections).map((s) => obj(s) ?? {});
    if (sections.length < 1 || sections.length > 10) return invalid('between 1 and 10 sections are allowed');
    const rows = sections.flatMap((s) => arr(s.rows).map((r) => obj(r) ?? {}));
    if (rows.length < 1 || rows.length > 10) return invalid('between 1 and 10 rows in total are allowed');
    if (sections.some((s) => chars(str(s.title) ?? '') > 24)) return invalid('section titles are at most 24 characters');
    if (rows.some((r) => !str(r.id) || chars(str(r.id)!) > 200 || !str(r.title) || chars(str(r.title)!) > 24)) {
      return invalid('row ids are 1-200 and row titles 1-24 characters');
    }
    return rows.some((r) => chars(str(r.description) ?? '') > 72) ? invalid('row descriptions are at most 72 characters') : null;
  }
  return invalid(`interactive.type ${String(i.type)} is not supported here`);
}

/** Placeholders of a text: {{1}} … or {{first_name}}. */
function placeholders(text: string | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi)].map((m) => m[1]!))];
}

function validateTemplate(t: Json, lookup: TemplateLookup): GraphFailure | null {
  const name = str(t.name);
  const lang = str(obj(t.language)?.code);
  if (!name || !lang) return missing('template.name and template.language.code');
  const tpl = lookup(name, lang);
  if (!tpl) return fail(132001, 'Template name does not exist in the translation', `template name (${name}) does not exist in ${lang}`);
  if (tpl.status === 'PAUSED') return fail(132015, 'Template is paused');
  if (tpl.status === 'DISABLED') return fail(132016, 'Template is disabled');
  if (tpl.status !== 'APPROVED') return fail(132001, 'Template name does not exist in the translation', `template ${name} is ${tpl.status}`);
  const comps = arr(t.components).map((c) => obj(c) ?? {});
  const given = (type: string) => comps.filter((c) => c.type === type).flatMap((c) => arr(c.parameters).map((p) => obj(p) ?? {}));
  return checkBody(given('body'), tpl) ?? checkHeader(given('header'), tpl) ?? validateButtons(comps, tpl);
}

const countMismatch = (where: string, expected: number, got: number) =>
  fail(132000, 'Number of parameters does not match the expected number of params', `${where}: expected ${expected}, got ${got}`);
const formatMismatch = (details: string) => fail(132012, 'Parameter format does not match format in the created template', details);

function checkBody(body: Json[], tpl: StoredTemplate): GraphFailure | null {
  const expected = placeholders(tpl.components.find((c) => c.type === 'BODY')?.text);
  if (body.length !== expected.length) return countMismatch('body', expected.length, body.length);
  if (tpl.parameter_format === 'NAMED') {
    if (body.some((p) => !str(p.parameter_name))) return fail(100, 'Invalid parameter', 'parameter_name is required for named templates');
    const names = new Set(body.map((p) => str(p.parameter_name)));
    if (expected.some((n) => !names.has(n))) return countMismatch('body (names)', expected.length, body.length);
  }
  for (const p of body) {
    const bad = checkParam(p);
    if (bad) return bad;
  }
  return null;
}

function checkHeader(params: Json[], tpl: StoredTemplate): GraphFailure | null {
  const header = tpl.components.find((c) => c.type === 'HEADER');
  const media = header?.format && header.format !== 'TEXT' ? header.format.toLowerCase() : undefined;
  const expected = !header ? 0 : media ? 1 : placeholders(header.text).length;
  if (params.length !== expected) return countMismatch('header', expected, params.length);
  const name = !media && tpl.parameter_format === 'NAMED' ? placeholders(header?.text)[0] : undefined;
  if (name && str(params[0]?.parameter_name) !== name) return fail(100, 'Invalid parameter', `header parameter_name must be ${name} for named templates`);
  return media && params[0]?.type !== media ? formatMismatch(`header must be ${media}`) : null;
}

function checkParam(p: Json): GraphFailure | null {
  const type = str(p.type);
  if (type === 'text') {
    const text = str(p.text);
    if (text === undefined || text === '') return formatMismatch('text parameter without text');
    if (/[\n\t]| {5,}/.test(text)) return fail(132018, 'There was an issue with the parameters in your template', 'parameter text cannot have new-line/tab characters or more than 4 consecutive spaces');
    return null;
  }
  if (type === 'currency') {
    const c = obj(p.currency);
    return c && str(c.fallback_value) && str(c.code) && num(c.amount_1000) !== undefined ? null : formatMismatch('currency');
  }
  if (type === 'date_time') return str(obj(p.date_time)?.fallback_value) ? null : formatMismatch('date_time');
  return formatMismatch(`body parameter type ${String(type)}`);
}

function validateButtons(comps: Json[], tpl: StoredTemplate): GraphFailure | null {
  const defs = tpl.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  const sent = comps.filter((c) => c.type === 'button');
  for (const b of sent) {
    const index = Number(b.index);
    const d = defs[index];
    if (!Number.isInteger(index) || !d || !isObj(b)) return countMismatch(`button ${String(b.index)}`, 0, 1);
    if (str(b.sub_type)?.toUpperCase() !== d.type) return formatMismatch(`button ${index} is ${d.type}`);
  }
  for (const [i, d] of defs.entries()) {
    if (d.type !== 'URL' || placeholders(d.url).length === 0) continue;
    const b = sent.find((c) => Number(c.index) === i);
    const param = obj(arr(b?.parameters)[0]);
    if (!param || !str(param.text)) return countMismatch(`URL button ${i} suffix`, 1, 0);
  }
  return null;
}
