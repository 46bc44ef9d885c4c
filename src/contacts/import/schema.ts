// What the import preview form (and the API / CLI options) send back: one
// target per column, the default country, the dedupe rule, tags for every
// row and the opt-in checkbox.
import { z } from 'zod';
import { MappingTargetSchema } from '../import-schema.js';
import { splitTags } from '../field-values.js';
import { DEDUPE_RULES } from './jobs.js';

const country = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim().toUpperCase() : v),
  z.string().regex(/^[A-Z]{2}$/, 'import.bad_country').nullable(),
).default(null);

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 'true', z.boolean());

export const StartImportInput = z.object({
  targets: z.array(MappingTargetSchema).max(500),
  default_country: country,
  dedupe: z.enum(DEDUPE_RULES).default('skip'),
  tags: z.preprocess((v) => (Array.isArray(v) ? v.join(',') : v ?? ''), z.string().max(1000)).transform((s) => splitTags(s).slice(0, 20)),
  opt_in: checkbox.default(false),
});
export type StartImportInput = z.infer<typeof StartImportInput>;

/** The preview form posts `map_0`, `map_1`, … (one select per column). */
export function targetsFromForm(body: Record<string, unknown>, columns: number): unknown[] {
  return Array.from({ length: columns }, (_, i) => body[`map_${i}`] ?? 'ignore');
}

/** API/CLI options in a query string: ?default_country=MX&dedupe=skip&tag=a&tag=b&opt_in=true&map=Header=target */
export const ApiImportQuery = z.object({
  filename: z.string().max(255).optional().meta({ description: 'The file name when the body is the raw file (.csv or .xlsx).' }),
  default_country: z.string().regex(/^[A-Za-z]{2}$/).optional()
    .meta({ description: 'ISO country for numbers written without +, e.g. MX.' }),
  dedupe: z.enum(DEDUPE_RULES).optional().meta({ description: 'What to do with a contact that already exists: skip (default), fill_empty or overwrite.' }),
  tag: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'Tags added to every imported contact (repeat the parameter).' }),
  opt_in: z.enum(['true', 'false']).optional().meta({ description: 'true: the contacts gave consent (recorded with source "import").' }),
  map: z.union([z.string(), z.array(z.string())]).optional()
    .meta({ description: 'Override the automatic mapping: `Header=target` or `3=target` (1-based column); target is a field, custom:<key>, tags, notes, opt_in or ignore.' }),
});
export type ApiImportQuery = z.infer<typeof ApiImportQuery>;

export function listOf(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
