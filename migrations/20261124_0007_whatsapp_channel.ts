// WhatsApp channel additions: a per-number Graph URL (the built-in sandbox
// listens on a random local port), the last 4 characters of each secret for
// display (the secrets themselves are never shown again), webhook retry
// scheduling and the auto-reply throttle per conversation.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('wa_numbers', (t) => {
    t.string('graph_url', 300).nullable(); // null = CHATFLOW_WHATSAPP_GRAPH_URL
    t.string('token_last4', 8).nullable();
    t.string('secret_last4', 8).nullable();
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.bigInteger('next_attempt_at').nullable(); // backoff after a failed attempt
  });
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('last_auto_reply_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => t.dropColumn('last_auto_reply_at'));
  await knex.schema.alterTable('webhook_events', (t) => t.dropColumn('next_attempt_at'));
  await knex.schema.alterTable('wa_numbers', (t) => {
    t.dropColumn('graph_url');
    t.dropColumn('token_last4');
    t.dropColumn('secret_last4');
  });
}
