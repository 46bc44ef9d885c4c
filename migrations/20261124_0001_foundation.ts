// Foundation: settings, users, sessions, audit log, API keys.
// Times are epoch milliseconds in BIGINT columns on both engines.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.increments('id').primary();
    t.string('key', 120).notNullable().unique();
    t.text('value').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 120).notNullable();
    t.string('password_hash', 100).notNullable();
    t.string('role', 20).notNullable();
    t.string('locale', 5).notNullable().defaultTo('es');
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.bigInteger('locked_until').nullable();
    t.text('totp_secret').nullable(); // encrypted with the install key
    t.boolean('totp_enabled').notNullable().defaultTo(false);
    t.text('recovery_codes').nullable(); // JSON array of bcrypt hashes
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.bigInteger('password_changed_at').notNullable();
    t.bigInteger('last_login_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.increments('id').primary();
    t.string('sid', 128).notNullable().unique();
    t.text('sess').notNullable();
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('expires_at').notNullable().index();
    t.index(['user_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('at').notNullable();
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.string('actor', 200).notNullable(); // "user:3 ana@x", "apikey:2 zapier", "cli", "system"
    t.string('action', 80).notNullable();
    t.string('entity_type', 60).nullable();
    t.string('entity_id', 60).nullable();
    t.string('ip', 64).nullable();
    t.string('request_id', 64).nullable();
    t.text('changes').nullable(); // JSON {before, after} summary, no secrets
    t.index(['at']);
    t.index(['user_id', 'at']);
    t.index(['action', 'at']);
    t.index(['entity_type', 'entity_id']);
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable();
    t.string('prefix', 20).notNullable(); // shown in lists: cf_live_ab12…
    t.string('key_hash', 64).notNullable().unique(); // sha256 hex of the whole key
    t.text('scopes').notNullable(); // JSON array of feature:verb
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.bigInteger('revoked_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('api_keys');
  await knex.schema.dropTableIfExists('audit_log');
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('users');
  await knex.schema.dropTableIfExists('settings');
}
