// Custom field forms and API bodies.
import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, CUSTOM_KEY_RE } from './segments/condition.js';

/** Options arrive as a list (API) or one per line (the form's textarea). */
const Options = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/\r?\n/) : v ?? []),
  z.array(z.string().trim().max(100)).transform((a) => a.filter(Boolean)).pipe(z.array(z.string()).max(100)),
);

export const FieldInput = z.object({
  key: z.string().trim().toLowerCase().regex(CUSTOM_KEY_RE, 'contacts.fields.key_format')
    .meta({ description: 'snake_case: a lowercase letter, then lowercase letters, digits or _ (max 60). Fixed once created.' }),
  label: z.string().trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: Options.meta({ description: 'The choices of a select or multiselect field.' }),
});
export type FieldInput = z.infer<typeof FieldInput>;

export const FieldPatch = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  options: Options.optional(),
});
export type FieldPatch = z.infer<typeof FieldPatch>;
