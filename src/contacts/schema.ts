// zod schemas for contact forms and API bodies; their z.infer types are the
// service's parameter types. The phone stays a string here: normalizePhone
// (in the service) says precisely what is wrong with it.
import { z } from 'zod';
import { OPT_IN_STATES } from './segments/condition.js';

const trimmed = (max: number) => z.string().trim().max(max);
/** Optional text: '' and null both mean "no value". */
const optional = (max: number) => z.preprocess((v) => (v === '' ? null : v), trimmed(max).nullable().optional());

export const CONSENT_SOURCES = ['form', 'agent', 'api', 'import', 'keyword', 'meta'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const TagName = trimmed(60).min(1);

export const ContactInput = z.object({
  phone: z.string().trim().min(1).max(40).meta({ description: 'Any common spelling; stored as E.164. Without +, the default country applies.' }),
  first_name: optional(100),
  last_name: optional(100),
  display_name: optional(200).meta({ description: 'Shown instead of first + last when set.' }),
  email: z.preprocess((v) => (v === '' ? null : v), z.string().trim().toLowerCase().max(254).pipe(z.email()).nullable().optional()),
  language: z.preprocess((v) => (v === '' ? null : v), z.enum(['es', 'en']).nullable().optional())
    .meta({ description: 'es or en; inferred from the phone\'s country when empty.' }),
  timezone: optional(64).meta({ description: 'IANA zone; inferred from the phone\'s country when empty.' }),
  tags: z.array(TagName).max(50).optional().meta({ description: 'Tag names; unknown ones are created.' }),
  custom: z.record(z.string().max(60), z.unknown()).optional()
    .meta({ description: 'Custom field values by key: text, number, YYYY-MM-DD, boolean, option, or a list of options.' }),
});
export type ContactInput = z.infer<typeof ContactInput>;

/** PATCH: every field optional; `tags` replaces the set when given; `custom` merges by key. */
export const ContactPatch = ContactInput.partial();
export type ContactPatch = z.infer<typeof ContactPatch>;

export const ConsentInput = z.object({
  status: z.enum(['opted_in', 'opted_out']),
  source: z.enum(CONSENT_SOURCES).default('agent'),
  detail: optional(500),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

export const NoteInput = z.object({ body: trimmed(5000).min(1) });

export const OptInFilter = z.enum(OPT_IN_STATES);

export const ContactId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Form body → ContactInput shape: "custom.<key>" inputs, comma-separated tags. */
export function contactFormToInput(body: Record<string, unknown>): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith('custom.')) custom[k.slice(7)] = v;
  const tags = typeof body.tags === 'string' ? body.tags.split(',').map((s) => s.trim()).filter(Boolean) : body.tags;
  return { ...body, tags: tags ?? [], custom };
}
