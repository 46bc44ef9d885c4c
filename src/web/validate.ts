// zod → Invalid with per-field i18n codes; forms and the API share it.
import type { z } from 'zod';
import { Invalid, type FieldErrors } from '../errors.js';

function codeFor(issue: z.core.$ZodIssue, input: unknown): { code: string; params?: Record<string, string | number> } {
  if (issue.message.startsWith('validation.') || /^[a-z_]+\.[a-z_.]+$/.test(issue.message)) return { code: issue.message };
  const missing = input === undefined || input === null || input === '';
  switch (issue.code) {
    case 'too_small':
      if (missing || (issue.origin === 'string' && Number(issue.minimum) <= 1)) return { code: 'validation.required' };
      return issue.origin === 'string'
        ? { code: 'validation.too_short', params: { min: Number(issue.minimum) } }
        : { code: 'validation.invalid' };
    case 'too_big':
      return issue.origin === 'string' ? { code: 'validation.too_long', params: { max: Number(issue.maximum) } } : { code: 'validation.invalid' };
    case 'invalid_format':
      return { code: issue.format === 'email' ? 'validation.email' : 'validation.invalid' };
    case 'invalid_value':
      return { code: missing ? 'validation.required' : 'validation.choice' };
    case 'invalid_type':
      return { code: missing ? 'validation.required' : issue.expected === 'number' ? 'validation.number' : 'validation.invalid' };
    default:
      return { code: 'validation.invalid' };
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: FieldErrors = {};
  for (const issue of r.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!fields[key]) fields[key] = codeFor(issue, valueAt(input, issue.path));
  }
  throw new Invalid(fields);
}
