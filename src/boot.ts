// Builds Deps from a Config: database, migrations, secrets, brand, plans.
import type { Config } from './config.js';
import { BrandStore } from './branding/brand.js';
import { createDb } from './db/knex.js';
import { migrateLatest } from './db/migrate.js';
import type { Clock, Deps } from './deps.js';
import { EventBus } from './events.js';
import { buildCatalog } from './i18n/catalog.js';
import { createLogger, type Logger } from './logging/logger.js';
import { PlanService } from './plans/service.js';
import { loadSecrets } from './secrets/secrets.js';
import { SETTING_KEYS, settingValue } from './settings/service.js';
import { ensureInstalledAt } from './setup/service.js';
import { countUsers } from './users/queries.js';
import { counterValue } from './plans/counters.js';
import { countCustomFields } from './contacts/fields-queries.js';
import { registerChannelUsage } from './whatsapp/channel-usage.js';

export type BootOptions = { migrate?: boolean; log?: Logger; clock?: Clock };

export const systemClock: Clock = { now: () => Date.now() };

export async function boot(config: Config, opts: BootOptions = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const secrets = loadSecrets(config);
  const db = createDb({ client: config.client, sqliteFile: config.sqliteFile, databaseUrl: config.databaseUrl });
  try {
    if (opts.migrate !== false) {
      const applied = await migrateLatest(db);
      if (applied.length) log.info({ applied }, 'migrations applied');
      await ensureInstalledAt(db, clock.now());
    }
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const plans = new PlanService(
    db,
    (d) => settingValue<number>(d, SETTING_KEYS.installedAt),
    () => clock.now(),
  );
  plans.registerUsage('users', (d) => countUsers(d, { activeOnly: true }));
  plans.registerUsage('contacts', (d) => counterValue(d, 'contacts'));
  plans.registerUsage('custom_fields', countCustomFields);
  registerChannelUsage(plans, config, clock);
  return { config, db, log, secrets, clock, events: new EventBus(), brand: new BrandStore(config.dataDir), plans, catalog: buildCatalog() };
}
