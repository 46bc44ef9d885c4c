// Plan usage of the channel, registered at boot: numbers (the sandbox number
// excluded) and business-initiated messages this month.
import type { Config } from '../config.js';
import type { Clock } from '../deps.js';
import type { PlanService } from '../plans/service.js';
import { countRealNumbers } from './numbers-queries.js';
import { MONTHLY, monthlyUsage } from './usage.js';

export function registerChannelUsage(plans: PlanService, config: Config, clock: Clock): void {
  plans.registerUsage('numbers', (db) => countRealNumbers(db));
  plans.registerUsage(MONTHLY, (db) => monthlyUsage({ config, clock }, db));
}
