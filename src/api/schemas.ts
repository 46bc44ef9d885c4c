// Small schemas shared by API modules.
import { z } from 'zod';

/** Times in API JSON: ISO 8601 UTC strings. */
export const IsoDateTime = z.iso.datetime().meta({ description: 'ISO 8601, UTC.', examples: ['2026-11-24T12:00:00.000Z'] });

export function iso(d: Date): string;
export function iso(d: Date | null): string | null;
export function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/** A positive integer id in a path (`/users/{id}`). */
export const IdParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1).meta({ description: 'The id.' }) });
