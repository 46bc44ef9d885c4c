// zod schemas for what the import forms post back. Kept apart from
// column-mapping.ts so the mapping logic (and the import job) does not load zod.
import { z } from 'zod';
import { CUSTOM_KEY, FIXED_TARGETS } from './column-mapping.js';

export const MappingTargetSchema = z.union([
  z.enum(FIXED_TARGETS),
  z.string().regex(CUSTOM_KEY).transform((s) => s as `custom:${string}`),
]);

/** The mapping form: one target per column index. */
export const ColumnMappingInput = z.array(
  z.object({ index: z.number().int().nonnegative(), target: MappingTargetSchema }),
);
export type ColumnMappingInput = z.infer<typeof ColumnMappingInput>;
