// REST API: idempotency records for POST requests and a per-key rate limit.
// Times are epoch milliseconds in BIGINT columns on both engines.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_idempotency', (t) => {
    t.bigIncrements('id').primary();
    t.integer('api_key_id').notNullable().references('id').inTable('api_keys').onDelete('CASCADE');
    t.string('idempotency_key', 255).notNullable();
    t.string('request_hash', 64).notNullable(); // sha256 hex of method, path and body
    t.integer('status_code').nullable(); // null while the first request is still running
    t.text('response_body').nullable();
    t.bigInteger('created_at').notNullable().index(); // rows older than 24 h are pruned
    t.unique(['api_key_id', 'idempotency_key']);
  });

  await knex.schema.alterTable('api_keys', (t) => {
    t.integer('rate_limit_per_minute').nullable(); // null: the install default
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('rate_limit_per_minute');
  });
  await knex.schema.dropTableIfExists('api_idempotency');
}
