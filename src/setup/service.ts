// First run: while no user exists, the whole app leads here. Creating the
// owner is a one-shot guarded by a unique settings row, so two browsers
// racing on a fresh install cannot both become owner.
import type { Audit } from '../audit/context.js';
import { hashPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';
import { Conflict } from '../errors.js';
import { putSetting } from '../settings/queries.js';
import { SETTING_KEYS, writeSettings } from '../settings/service.js';
import { countUsers, insertUser, userById, type User } from '../users/queries.js';
import type { SetupInput } from './schema.js';

type SetupDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

export async function completeSetup(deps: SetupDeps, input: SetupInput, audit: Audit): Promise<User> {
  const passwordHash = await hashPassword(input.password, deps.config.bcryptCost);
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (trx) => {
    if ((await countUsers(trx)) > 0) throw new Conflict('setup.already_done');
    try {
      await trx('settings').insert({ key: 'install.setup_done', value: JSON.stringify(now), updated_at: now });
    } catch {
      throw new Conflict('setup.already_done');
    }
    const userId = await insertUser(trx, { email: input.email, name: input.name, passwordHash, role: 'owner', locale: input.locale }, now);
    await writeSettings(trx, { companyName: input.company, timezone: input.timezone, locale: input.locale }, now);
    await ensureInstalledAt(trx, now);
    await audit(trx, { action: 'setup.completed', entityType: 'user', entityId: userId,
      after: { name: input.name, email: input.email, company: input.company, timezone: input.timezone, locale: input.locale } });
    return userId;
  });
  return (await userById(deps.db, id))!;
}

/** The install date starts the trial; set once, by setup, the CLI or the first boot. */
export async function ensureInstalledAt(db: SetupDeps['db'], now: number): Promise<void> {
  const row = await db('settings').where({ key: SETTING_KEYS.installedAt }).first('id');
  if (!row) await putSetting(db, SETTING_KEYS.installedAt, now, now);
}
