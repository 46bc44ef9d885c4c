import { z } from 'zod';
import { LocaleSchema } from '../users/schema.js';
import { isTimezone } from '../i18n/timezones.js';

/** IANA zones for the select; the current value is kept even if this runtime does not list it (e.g. "UTC"). */
export function timezoneOptions(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

export const GeneralSettingsInput = z.object({
  companyName: z.string().trim().min(1).max(120),
  timezone: z.string().max(64).refine(isTimezone, { message: 'validation.timezone' }),
  locale: LocaleSchema,
});
export type GeneralSettingsInput = z.infer<typeof GeneralSettingsInput>;

/** A checkbox: present ("on") when ticked, absent otherwise. */
export const SecuritySettingsInput = z.object({
  enforce2faForAdmins: z.literal('on').optional().transform((v) => v === 'on'),
});
export type SecuritySettingsInput = z.infer<typeof SecuritySettingsInput>;

