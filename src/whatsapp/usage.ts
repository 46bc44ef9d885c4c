// messages_per_month: business-initiated sends counted per calendar month in
// the install's timezone (usage_counters), checked and incremented in the
// same statement so two concurrent sends can never both take the last unit.
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { LicenseRequired } from '../errors.js';
import { SETTING_KEYS, settingValue } from '../settings/service.js';

export const MONTHLY = 'messages_per_month';

export function periodOf(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

export async function installTimezone(deps: Pick<Deps, 'config'>, db: Db): Promise<string> {
  return (await settingValue<string>(db, SETTING_KEYS.timezone)) ?? deps.config.timezone;
}

async function currentPeriod(deps: Pick<Deps, 'config' | 'clock'>, db: Db): Promise<string> {
  return periodOf(deps.clock.now(), await installTimezone(deps, db));
}

export async function monthlyUsage(deps: Pick<Deps, 'config' | 'clock'>, db: Db): Promise<number> {
  const row = await db('usage_counters').where({ name: MONTHLY, period: await currentPeriod(deps, db) }).first('value');
  return Number(row?.value ?? 0);
}

/** Takes one unit or throws plan.limit_reached.messages_per_month. Call inside the send's transaction. */
export async function consumeMonthlyMessage(deps: Pick<Deps, 'config' | 'clock' | 'plans'>, db: Db): Promise<void> {
  const period = await currentPeriod(deps, db);
  await db('usage_counters').insert({ name: MONTHLY, period, value: 0 }).onConflict(['name', 'period']).ignore();
  const max = await deps.plans.limit(MONTHLY, db);
  const q = db('usage_counters').where({ name: MONTHLY, period });
  if (max !== null) q.andWhere('value', '<', max);
  const changed = await q.increment('value', 1);
  if (Number(changed) === 0) {
    throw new LicenseRequired(`plan.limit_reached.${MONTHLY}`, `Plan limit reached: ${MONTHLY}`, { limit: max, used: max }, { limit: max ?? 0, used: max ?? 0 });
  }
}

/** Gives a unit back when Meta refused the send outright (nothing was delivered). */
export async function refundMonthlyMessage(deps: Pick<Deps, 'config' | 'clock'>, db: Db): Promise<void> {
  const period = await currentPeriod(deps, db);
  await db('usage_counters').where({ name: MONTHLY, period }).andWhere('value', '>', 0).decrement('value', 1);
}
