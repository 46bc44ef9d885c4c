// Template management: the Meta app id of a number (Meta's Resumable Upload
// API, which gives the example handle of a media header, is called on the
// app, not the number) and when each template was edited through ChatFlow
// (Meta allows an approved template 1 edit per 24 h and 10 per 30 days).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('wa_numbers', (t) => {
    t.string('meta_app_id', 40).nullable();
  });
  await knex.schema.alterTable('templates', (t) => {
    t.text('edited_at').nullable(); // JSON array of epoch ms, last 30 days
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('templates', (t) => t.dropColumn('edited_at'));
  await knex.schema.alterTable('wa_numbers', (t) => t.dropColumn('meta_app_id'));
}
