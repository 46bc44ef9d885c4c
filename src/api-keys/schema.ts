import { z } from 'zod';
import { isPermission } from '../users/permissions.js';

/** Form checkboxes arrive as nothing, one string or an array; the CLI passes an array. */
const ScopeList = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.string().max(60))
    .max(100)
    .refine((list) => list.length > 0, { message: 'apikeys.scopes_required' })
    .refine((list) => list.every(isPermission), { message: 'apikeys.unknown_scope' }),
);

const OptionalRateLimit = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.coerce.number().int().min(1).max(100_000).optional(),
);

export const NewApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: ScopeList,
  rate_limit: OptionalRateLimit,
});
export type NewApiKeyInput = z.infer<typeof NewApiKeyInput>;
