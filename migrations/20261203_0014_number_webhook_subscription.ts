// Whether Meta sends this number's WABA webhooks to our app: the last
// successful POST /{WABA}/subscribed_apps, or the error it answered.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('wa_numbers', (t) => {
    t.bigInteger('webhooks_subscribed_at').nullable();
    t.text('webhooks_error').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('wa_numbers', (t) => {
    t.dropColumn('webhooks_error');
    t.dropColumn('webhooks_subscribed_at');
  });
}
