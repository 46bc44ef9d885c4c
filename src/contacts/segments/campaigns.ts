// The campaign picker of the segment builder. Until the campaigns feature
// exists there is no campaigns table, only messages.campaign_id: the picker
// lists the campaign ids that have messages, labelled "Campaign #<id>".
//
// Seam: the campaigns feature replaces the body of `campaignChoices` (same
// signature) to return its campaigns with their names. Nothing else in
// segments knows where the labels come from.
import type { Db } from '../../db/knex.js';
import type { T } from '../../i18n/i18n.js';
import { campaignIdsWithMessages } from './queries.js';

export type CampaignChoice = { value: number; label: string };

/** At most this many campaigns in the picker, newest (highest id) first. */
export const CAMPAIGN_CHOICES = 200;

export async function campaignChoices(db: Db, t: T): Promise<CampaignChoice[]> {
  const ids = await campaignIdsWithMessages(db, CAMPAIGN_CHOICES);
  return ids.map((id) => ({ value: id, label: t('segments.campaign_label', { id }) }));
}
