import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLANS } from './plans.js';
import { PlanService, trialEntitlement } from './service.js';
import { LicenseRequired } from '../errors.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('plan seam', () => {
  it('is a 14-day trial with Professional limits and every feature', () => {
    const e = trialEntitlement(T0, T0 + 3 * DAY + 1);
    assert.equal(e.plan, 'professional');
    assert.equal(e.state, 'trial');
    assert.equal(e.daysLeft, 11);
    assert.deepEqual(e.limits, { contacts: 5000, messages_per_month: 10000, users: 10, numbers: 1, custom_fields: 10 });
    assert.ok(e.features.includes('white_label') && e.features.includes('ab_testing'));
  });

  it('moves to grace after 14 days and to restricted after 14 more', () => {
    assert.equal(trialEntitlement(T0, T0 + 14 * DAY).state, 'grace');
    assert.equal(trialEntitlement(T0, T0 + 28 * DAY - 1).state, 'grace');
    assert.equal(trialEntitlement(T0, T0 + 28 * DAY).state, 'restricted');
  });

  it('matches the plan table of the spec', () => {
    assert.equal(PLANS.starter.limits.contacts, 500);
    assert.equal(PLANS.business.limits.numbers, 5);
    assert.equal(PLANS.business.limits.custom_fields, null);
    assert.equal(PLANS.enterprise.limits.users, null);
    assert.ok(!PLANS.starter.features.includes('segments'));
    assert.ok(PLANS.professional.features.includes('rest_api'));
  });

  it('refuses past a limit and refuses features once restricted', async () => {
    let now = T0;
    const svc = new PlanService({} as never, async () => T0, () => now);
    let used = 9;
    svc.registerUsage('users', async () => used);
    await svc.assertWithinLimit('users', 1);
    used = 10;
    await assert.rejects(svc.assertWithinLimit('users', 1), (e: unknown) => e instanceof LicenseRequired && e.code === 'plan.limit_reached.users');
    assert.equal(await svc.may('segments'), true);
    now = T0 + 30 * DAY;
    assert.equal(await svc.may('segments'), false);
    await assert.rejects(svc.requireFeature('segments'), LicenseRequired);
  });
});
