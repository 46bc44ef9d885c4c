// Install-wide settings an admin can change at runtime (config.ts holds boot-time ones).
import type { Db } from '../db/knex.js';
import type { Locale } from '../i18n/i18n.js';
import { allSettings, putSetting, settingsGeneration, settingValue } from './queries.js';

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

/**
 * Every page reads the settings (the request context), so they are cached
 * per database handle: dropped on every write through putSetting in this
 * process, and re-read at least every SETTINGS_TTL_MS, which bounds how
 * stale another process's change (a second app process on Postgres, the
 * CLI) can be here.
 */
export const SETTINGS_TTL_MS = 2000;
const cache = new WeakMap<object, { generation: number; at: number; all: Record<string, unknown> }>();

async function cachedSettings(db: Db): Promise<Record<string, unknown>> {
  if (db.isTransaction) return allSettings(db);
  const hit = cache.get(db);
  const now = performance.now();
  if (hit && hit.generation === settingsGeneration() && now - hit.at < SETTINGS_TTL_MS) return hit.all;
  const generation = settingsGeneration();
  const all = await allSettings(db);
  cache.set(db, { generation, at: now, all });
  return all;
}

export async function readSettings(db: Db, defaults: { timezone: string; locale: Locale }): Promise<InstallSettings> {
  const all = await cachedSettings(db);
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
