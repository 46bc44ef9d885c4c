import { z } from 'zod';
import { Email, LocaleSchema, Password, PersonName } from '../users/schema.js';
import { isTimezone } from '../i18n/timezones.js';

export const SetupInput = z
  .object({
    name: PersonName,
    email: Email,
    password: Password,
    password_confirm: z.string(),
    company: z.string().trim().min(1).max(120),
    timezone: z.string().refine(isTimezone, { message: 'validation.timezone' }),
    locale: LocaleSchema,
  })
  .refine((v) => v.password === v.password_confirm, { path: ['password_confirm'], message: 'validation.password_mismatch' });
export type SetupInput = z.infer<typeof SetupInput>;

export function timezones(): string[] {
  // ICU's list leaves out UTC, the install's default: without it the form would preselect the first zone (Africa/Abidjan).
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

