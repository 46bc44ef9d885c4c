// Bulk actions on every contact a filter or segment matches run as durable
// background jobs. bulk_jobs holds what was asked (action, parameters, the
// audience definition as the user saw it, who asked) and where the worker is
// (status, counters, keyset cursor, claim). bulk_job_items is the audience
// frozen at confirmation: the matching contact ids, copied in one statement,
// walked by the worker in contact id order and dropped when the job ends.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bulk_jobs', (t) => {
    t.increments('id').primary();
    t.string('action', 20).notNullable(); // tag | untag | opt_out | delete
    t.text('params').notNullable().defaultTo('{}'); // {"tag_id": 3, "tag_name": "vip"}
    t.text('audience').notNullable().defaultTo('{}'); // {"condition": …, "query": "q=…&tag=…", "segment": {id, name}}
    t.string('status', 20).notNullable(); // queued | running | done | failed | cancelled
    t.string('source', 10).notNullable().defaultTo('web'); // web | api
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.string('actor', 120).notNullable(); // the requester's audit label: "ana@clinica.mx", "apikey:zapier"
    t.integer('total').notNullable().defaultTo(0); // contacts matched at confirmation (rows in bulk_job_items)
    t.integer('processed').notNullable().defaultTo(0); // items walked so far
    t.integer('affected').notNullable().defaultTo(0); // contacts the action actually changed
    t.bigInteger('cursor').notNullable().defaultTo(0); // last contact id done: the batch after it is next
    t.string('locked_by', 80).nullable();
    t.bigInteger('heartbeat_at').nullable();
    t.text('error').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('started_at').nullable();
    t.bigInteger('finished_at').nullable();
    t.index(['status', 'id']);
  });
  await knex.schema.createTable('bulk_job_items', (t) => {
    t.bigIncrements('id').primary();
    t.integer('job_id').notNullable().references('id').inTable('bulk_jobs').onDelete('CASCADE');
    t.bigInteger('contact_id').notNullable(); // no foreign key: a contact deleted meanwhile is skipped, not an error
    t.unique(['job_id', 'contact_id']); // the worker's keyset walk
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bulk_job_items');
  await knex.schema.dropTableIfExists('bulk_jobs');
}
