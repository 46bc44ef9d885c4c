// What the emulator checks in a template's components on create and edit
// (cloud-api.md §6): a body with examples for its variables (positional
// `body_text`, or `body_text_named_params` for NAMED), no variable at the very
// start or end, and a media header whose example is a handle from the
// Resumable Upload API of the right type.
import { arr, isObj, str } from '../json-read.js';
import type { SandboxState } from './state.js';
import type { GraphFailure } from './validate.js';

type Json = Record<string, unknown>;

const HEADER_TYPES: Record<string, readonly string[]> = {
  IMAGE: ['image/jpeg', 'image/png'],
  VIDEO: ['video/mp4'],
  DOCUMENT: ['application/pdf'],
};

const bad = (details: string, subcode?: number): GraphFailure => ({ code: 100, message: '(#100) Invalid parameter', details, subcode });

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)].map((m) => m[1]!);
}

function checkVariables(where: string, text: string, example: Json, named: boolean, key: 'body' | 'header'): GraphFailure | null {
  const vars = [...new Set(placeholders(text))];
  if (!vars.length) return null;
  if (named) {
    if (vars.some((v) => !/^[a-z_]+$/.test(v))) return bad(`${where}: named parameters may only contain lower-case letters and underscores`);
    const given = new Set(arr(example[`${key}_text_named_params`]).filter(isObj).filter((p) => str(p.example)).map((p) => str(p.param_name)));
    const missing = vars.filter((v) => !given.has(v));
    return missing.length ? bad(`${where}: ${key}_text_named_params needs an example for ${missing.join(', ')}`) : null;
  }
  if (vars.some((v, i) => v !== String(i + 1))) return bad(`${where}: positional parameters must be {{1}}, {{2}}, … in order`);
  const given = key === 'body' ? arr(arr(example.body_text)[0]) : arr(example.header_text);
  return given.filter((v) => typeof v === 'string' && v).length < vars.length ? bad(`${where}: ${key}_text needs an example for each parameter`) : null;
}

function checkHeader(h: Json, named: boolean, state: SandboxState): GraphFailure | null {
  const format = str(h.format)?.toUpperCase() ?? 'TEXT';
  const example = isObj(h.example) ? h.example : {};
  if (format === 'TEXT') {
    const text = str(h.text) ?? '';
    if (!text || [...text].length > 60) return bad('HEADER text is required and at most 60 characters');
    return checkVariables('HEADER', text, example, named, 'header');
  }
  const types = HEADER_TYPES[format];
  if (!types) return format === 'LOCATION' ? null : bad(`HEADER format ${format} is not supported`);
  const handle = str(arr(example.header_handle)[0]);
  const file = handle ? state.handles.get(handle) : undefined;
  if (!file) return bad(`HEADER ${format} needs example.header_handle from the Resumable Upload API`);
  return types.includes(file.mimeType) ? null : bad(`HEADER ${format} cannot use a ${file.mimeType} example`);
}

/** Meta-shaped failure for the first problem in `components`, or null. */
export function checkTemplateComponents(components: unknown, parameterFormat: string | undefined, state: SandboxState): GraphFailure | null {
  if (!Array.isArray(components) || components.length === 0) return bad('components are required');
  const comps = components.filter(isObj) as Json[];
  const named = parameterFormat === 'NAMED';
  const of = (type: string) => comps.filter((c) => str(c.type)?.toUpperCase() === type);
  const bodies = of('BODY');
  if (bodies.length !== 1) return bad('exactly one BODY component is required');
  const body = bodies[0]!;
  const text = str(body.text) ?? '';
  if (!text || [...text].length > 1024) return bad('BODY text is required and at most 1024 characters');
  const trimmed = text.trim();
  if (/^\{\{[^{}]+\}\}/.test(trimmed) || /\{\{[^{}]+\}\}[.!?¡¿\s]*$/.test(trimmed)) {
    return bad('Parameters can not be at the start or end of the message body', 2388299);
  }
  const bodyVars = checkVariables('BODY', text, isObj(body.example) ? body.example : {}, named, 'body');
  if (bodyVars) return bodyVars;
  const headers = of('HEADER');
  if (headers.length > 1) return bad('at most one HEADER component');
  return headers[0] ? checkHeader(headers[0], named, state) : null;
}
