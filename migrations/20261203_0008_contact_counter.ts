// A maintained count of contacts: the plan's contact limit (every create and
// every import batch) and the usage shown in settings read one row instead of
// count(*) over a table that reaches a million rows. Triggers keep it exact on
// every insert and delete path (forms, API, import, inbound messages, bulk
// delete, GDPR erase); see createRowCounter in src/db/dialect.ts.
import type { Knex } from 'knex';
import { createRowCounter, dropRowCounter } from '../src/db/dialect.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('counters', (t) => {
    t.increments('id').primary();
    t.string('name', 40).notNullable().unique();
    t.bigInteger('value').notNullable().defaultTo(0);
  });
  await createRowCounter(knex, 'contacts', 'contacts');
}

export async function down(knex: Knex): Promise<void> {
  await dropRowCounter(knex, 'contacts', 'contacts');
  await knex.schema.dropTable('counters');
}
