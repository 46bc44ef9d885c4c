// Install-wide defaults for new contacts: the country assumed for numbers
// typed without +, and the fallbacks for language and timezone. The default
// country is a setting an admin can change; until then it is the country of
// the company's timezone (a clinic in America/Mexico_City types Mexican numbers).
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { putSetting, readSettings, settingValue } from '../settings/service.js';
import type { DeriveOptions } from './derive.js';
import { countriesWithTimezone, timezoneForCountry } from './timezone.js';

export const DEFAULT_COUNTRY_KEY = 'contacts.default_country';

/** The country whose default zone is `tz`, if any. */
export function countryOfTimezone(tz: string): string | null {
  return countriesWithTimezone().find((c) => timezoneForCountry(c) === tz) ?? null;
}

export async function contactDefaults(deps: Pick<Deps, 'db' | 'config' | 'brand'>, db: Db = deps.db): Promise<Required<DeriveOptions>> {
  const s = await readSettings(db, { timezone: deps.config.timezone, locale: deps.brand.get().defaultLocale });
  // null = an admin chose "none" (always require +); undefined = never set.
  const stored = await settingValue<string | null>(db, DEFAULT_COUNTRY_KEY);
  return {
    defaultCountry: stored === undefined ? countryOfTimezone(s.timezone) : stored,
    fallbackLanguage: s.locale,
    fallbackTimezone: s.timezone,
  };
}

export async function setDefaultCountry(db: Db, country: string | null, now: number): Promise<void> {
  await putSetting(db, DEFAULT_COUNTRY_KEY, country, now);
}
