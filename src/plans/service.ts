// The plan seam: which plan this install is on, whether it may use a feature,
// what a limit is and how much of it is used. Features ask here and never
// hard-code a plan. Today the answer is always the trial (Professional limits,
// every feature, 14 days from install); signed license keys will only change
// where `entitlement()` gets its plan from.
import type { Db } from '../db/knex.js';
import { LicenseRequired } from '../errors.js';
import { FEATURES, GRACE_DAYS, PLANS, TRIAL_DAYS, type Feature, type LimitName, type Limits, type PlanId } from './plans.js';

export type PlanState = 'trial' | 'valid' | 'expiring' | 'grace' | 'restricted';

export type Entitlement = {
  plan: PlanId;
  source: 'trial';
  state: PlanState;
  startsAt: number;
  endsAt: number;
  daysLeft: number;
  limits: Limits;
  features: Feature[];
};

const DAY = 86_400_000;

/** Pure: the entitlement at `now` for an install made at `installedAt`. */
export function trialEntitlement(installedAt: number, now: number): Entitlement {
  const endsAt = installedAt + TRIAL_DAYS * DAY;
  const graceEnds = endsAt + GRACE_DAYS * DAY;
  const state: PlanState = now < endsAt ? 'trial' : now < graceEnds ? 'grace' : 'restricted';
  return {
    plan: 'professional',
    source: 'trial',
    state,
    startsAt: installedAt,
    endsAt,
    daysLeft: Math.max(0, Math.ceil((endsAt - now) / DAY)),
    limits: { ...PLANS.professional.limits },
    features: [...FEATURES],
  };
}

/** Features register how their usage is counted (users: active users, …). */
export type UsageCounter = (db: Db) => Promise<number>;

export class PlanService {
  private readonly counters = new Map<LimitName, UsageCounter>();
  private installedAtCache: number | undefined;

  /** `installedAt` reads the install date (undefined until set); it never changes once set, so it is cached. */
  constructor(
    private readonly db: Db,
    private readonly readInstalledAt: (db: Db) => Promise<number | undefined>,
    private readonly now: () => number,
  ) {}

  private async installedAt(db: Db): Promise<number> {
    if (this.installedAtCache !== undefined) return this.installedAtCache;
    const v = await this.readInstalledAt(db);
    if (v !== undefined) this.installedAtCache = v;
    return v ?? this.now();
  }

  registerUsage(limit: LimitName, counter: UsageCounter): void {
    this.counters.set(limit, counter);
  }

  /** Pass the open transaction when inside one (SQLite has a single connection). */
  async entitlement(db: Db = this.db): Promise<Entitlement> {
    return trialEntitlement(await this.installedAt(db), this.now());
  }

  async may(feature: Feature): Promise<boolean> {
    const e = await this.entitlement();
    return e.state !== 'restricted' && e.features.includes(feature);
  }

  async requireFeature(feature: Feature): Promise<void> {
    if (!(await this.may(feature))) throw new LicenseRequired('errors.license_required', `Feature ${feature} is not licensed`);
  }

  async limit(name: LimitName, db: Db = this.db): Promise<number | null> {
    return (await this.entitlement(db)).limits[name];
  }

  async usage(name: LimitName, db: Db = this.db): Promise<number> {
    const counter = this.counters.get(name);
    return counter ? counter(db) : 0;
  }

  /**
   * Throws LicenseRequired when adding `adding` more would pass the limit.
   * Pass the transaction doing the insert so the count and the write agree.
   */
  async assertWithinLimit(name: LimitName, adding = 1, db: Db = this.db): Promise<void> {
    const max = await this.limit(name, db);
    if (max === null) return;
    const used = await this.usage(name, db);
    if (used + adding > max) {
      throw new LicenseRequired(`plan.limit_reached.${name}`, `Plan limit reached: ${name} (${used}/${max})`, { limit: max, used }, { limit: max, used });
    }
  }
}
