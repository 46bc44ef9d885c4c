import { z } from 'zod';
import { parseDay } from '../i18n/dates.js';

/** Empty form fields mean "no filter". */
function blankable<S extends z.ZodType>(s: S) {
  return z.preprocess((v) => (v === '' || v === null ? undefined : v), s.optional());
}

const Day = z.string().refine((s) => parseDay(s) !== null, { message: 'audit.date_invalid' });

export const AuditFilterInput = z
  .object({
    user: blankable(z.coerce.number().int().positive().max(2 ** 31 - 1)),
    action: blankable(z.string().max(80).regex(/^[a-z0-9_.]+$/, 'validation.choice')),
    entity: blankable(z.string().max(60).regex(/^[a-z0-9_]+$/, 'validation.choice')),
    from: blankable(Day),
    to: blankable(Day),
    before: blankable(z.coerce.number().int().positive()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'audit.to_before_from', path: ['to'] });
export type AuditFilterInput = z.infer<typeof AuditFilterInput>;
