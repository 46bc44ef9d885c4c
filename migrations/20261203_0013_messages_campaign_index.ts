// Segment rules on campaigns ("received campaign X", "received any campaign",
// "never received a campaign") are EXISTS subqueries on messages by
// (campaign_id, contact_id). This composite index serves them and replaces the
// single-column campaign_id index, which it covers.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropIndex(['campaign_id']);
    t.index(['campaign_id', 'contact_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropIndex(['campaign_id', 'contact_id']);
    t.index(['campaign_id']);
  });
}
