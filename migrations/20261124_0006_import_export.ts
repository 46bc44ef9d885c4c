// Import jobs need two more facts to resume exactly after a crash and to
// speak the user's language: how many bytes of the rejected-rows file belong
// to committed batches (the tail past it is cut on resume), and the locale
// the reasons are written in. Added columns only: import_jobs is not behind
// the FTS triggers, so ALTER TABLE … ADD COLUMN is safe on SQLite.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.bigInteger('rejected_bytes').notNullable().defaultTo(0);
    t.string('locale', 5).notNullable().defaultTo('es');
    t.string('source', 10).notNullable().defaultTo('web'); // web | api | cli
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('source');
    t.dropColumn('locale');
    t.dropColumn('rejected_bytes');
  });
}
