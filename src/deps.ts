// Everything a feature needs, built once at boot (src/boot.ts) and passed
// down; no module imports a global db handle.
import type { Knex } from 'knex';
import type { BrandStore } from './branding/brand.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import type { Locale, Messages } from './i18n/i18n.js';
import type { Logger } from './logging/logger.js';
import type { PlanService } from './plans/service.js';
import type { Secrets } from './secrets/secrets.js';

export type Clock = { now(): number };

export type Deps = {
  config: Config;
  db: Knex;
  log: Logger;
  secrets: Secrets;
  clock: Clock;
  events: EventBus;
  brand: BrandStore;
  plans: PlanService;
  catalog: Record<Locale, Messages>;
};
