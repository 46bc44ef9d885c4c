// Install-wide settings an admin can change at runtime (config.ts holds boot-time ones).
import type { Db } from '../db/knex.js';
import type { Locale } from '../i18n/i18n.js';
import { allSettings, putSetting, settingValue } from './queries.js';

export type InstallSettings = {
  companyName: string;
  timezone: string;
  locale: Locale;
  installedAt: number | null;
  enforce2faForAdmins: boolean;
};

export const SETTING_KEYS = {
  companyName: 'company.name',
  timezone: 'company.timezone',
  locale: 'company.locale',
  installedAt: 'install.installed_at',
  enforce2faForAdmins: 'security.enforce_2fa_admins',
} as const;

export async function readSettings(db: Db, defaults: { timezone: string; locale: Locale }): Promise<InstallSettings> {
  const all = await allSettings(db);
  const k = SETTING_KEYS;
  return {
    companyName: typeof all[k.companyName] === 'string' ? (all[k.companyName] as string) : '',
    timezone: typeof all[k.timezone] === 'string' ? (all[k.timezone] as string) : defaults.timezone,
    locale: all[k.locale] === 'en' || all[k.locale] === 'es' ? (all[k.locale] as Locale) : defaults.locale,
    installedAt: typeof all[k.installedAt] === 'number' ? (all[k.installedAt] as number) : null,
    enforce2faForAdmins: all[k.enforce2faForAdmins] === true,
  };
}

export async function writeSettings(db: Db, patch: Partial<InstallSettings>, now: number): Promise<void> {
  for (const [name, value] of Object.entries(patch)) {
    const key = SETTING_KEYS[name as keyof InstallSettings];
    if (key && value !== undefined) await putSetting(db, key, value, now);
  }
}

export { settingValue, putSetting };
