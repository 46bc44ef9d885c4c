// Changing install settings from the web: every change is audited with what
// it was and what it became.
import type { Audit } from '../audit/context.js';
import { diff } from '../audit/service.js';
import type { Deps } from '../deps.js';
import { listUsers, type User } from '../users/queries.js';
import { writeSettings, type InstallSettings } from './service.js';
import type { GeneralSettingsInput, SecuritySettingsInput } from './schema.js';

type SettingsDeps = Pick<Deps, 'db' | 'clock'>;

async function saveAudited(
  deps: SettingsDeps, current: InstallSettings, patch: Partial<InstallSettings>, action: string, audit: Audit,
): Promise<boolean> {
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof InstallSettings]]));
  const changes = diff(before, patch);
  if (!Object.keys(changes.after).length) return false;
  await deps.db.transaction(async (trx) => {
    await writeSettings(trx, patch, deps.clock.now());
    await audit(trx, { action, entityType: 'settings', ...changes });
  });
  return true;
}

export function saveGeneralSettings(deps: SettingsDeps, current: InstallSettings, input: GeneralSettingsInput, audit: Audit) {
  return saveAudited(deps, current, input, 'settings.general_updated', audit);
}

export function saveSecuritySettings(deps: SettingsDeps, current: InstallSettings, input: SecuritySettingsInput, audit: Audit) {
  return saveAudited(deps, current, { enforce2faForAdmins: input.enforce2faForAdmins }, 'settings.security_updated', audit);
}

/** Owners and admins still without 2FA: who the enforcement switch would send to enrolment. */
export async function adminsWithout2fa(deps: Pick<Deps, 'db'>): Promise<User[]> {
  const users = await listUsers(deps.db, { active: true });
  return users.filter((u) => (u.role === 'owner' || u.role === 'admin') && !u.totpEnabled);
}
