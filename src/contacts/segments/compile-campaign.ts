// Campaign rules: "received campaign X", "received any campaign", "never
// received a campaign". A contact received a campaign when a message of it
// (messages.campaign_id) was addressed to them and did not fail. Each rule is
// a correlated EXISTS / NOT EXISTS on messages, backed by the
// (campaign_id, contact_id) index (migration 0013); every id is a binding.
import type { Knex } from 'knex';
import type { Rule } from './condition.js';
import { badRule, bool, list, type Ctx } from './compile.js';

type QB = Knex.QueryBuilder;

function campaignIds(r: Rule): number[] {
  const ids = list(r).map(Number);
  if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw badRule('segments.bad_value', { field: r.field });
  return ids;
}

/** Messages of a campaign sent to the outer query's contact (failed sends do not count as received). */
function received(ctx: Ctx, narrow: (w: QB) => void): QB {
  return ctx.db('messages').select('messages.id')
    .where('messages.contact_id', ctx.db.ref('contacts.id'))
    .andWhere((w) => narrow(w))
    .andWhereNot('messages.status', 'failed');
}

export function applyCampaignRule(ctx: Ctx, qb: QB, r: Rule): void {
  if (r.field === 'campaign') {
    const ids = campaignIds(r);
    const sub = received(ctx, (w) => void w.whereIn('messages.campaign_id', ids));
    return void (r.op === 'has' ? qb.whereExists(sub) : qb.whereNotExists(sub));
  }
  const sub = received(ctx, (w) => void w.whereNotNull('messages.campaign_id'));
  return void (bool(r) ? qb.whereExists(sub) : qb.whereNotExists(sub));
}
