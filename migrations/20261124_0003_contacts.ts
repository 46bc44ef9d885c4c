// Contacts CRM: contacts, tags, typed custom fields (values in an indexed
// side table), notes, the consent ledger, the activity timeline, segments and
// import jobs. Substring search uses a trigram index on both engines.
import type { Knex } from 'knex';
import { createTrigramIndex, dropTrigramIndex } from '../src/db/dialect.js';

async function contacts(knex: Knex): Promise<void> {
  await knex.schema.createTable('contacts', (t) => {
    t.bigIncrements('id').primary();
    t.string('phone', 20).notNullable().unique(); // E.164
    t.string('wa_key', 20).notNullable().unique(); // canonical identity: LatAm variants share one key
    t.string('wa_id', 20).nullable().index(); // Meta's wa_id once known
    t.string('country', 2).nullable();
    t.string('first_name', 100).nullable();
    t.string('last_name', 100).nullable();
    t.string('display_name', 200).notNullable(); // what lists show; "first last" or the phone
    t.string('sort_name', 200).notNullable(); // lower-cased, accent-free display name for sorting
    t.text('search_text').notNullable(); // lower-cased, accent-free name + email + phone digits
    t.string('email', 254).nullable().index();
    t.string('language', 5).nullable();
    t.string('timezone', 64).nullable();
    t.string('opt_in', 12).notNullable().defaultTo('unknown'); // opted_in | opted_out | unknown
    t.string('opt_in_source', 20).nullable(); // import | form | keyword | api | agent | meta
    t.bigInteger('opt_in_at').nullable();
    t.text('custom').notNullable().defaultTo('{}'); // JSON copy of custom values for display/export
    t.bigInteger('last_inbound_at').nullable();
    t.bigInteger('last_outbound_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['sort_name', 'id']);
    t.index(['created_at', 'id']);
    t.index(['updated_at', 'id']);
    t.index(['last_inbound_at', 'id']);
    t.index(['last_outbound_at', 'id']);
    t.index(['opt_in', 'id']);
  });
  await createTrigramIndex(knex, 'contacts', 'search_text');
}

async function tagsAndFields(knex: Knex): Promise<void> {
  await knex.schema.createTable('tags', (t) => {
    t.increments('id').primary();
    t.string('name', 60).notNullable();
    t.string('name_key', 60).notNullable().unique(); // lower-cased, accent-free
    t.string('color', 7).nullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('contact_tags', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.integer('tag_id').notNullable().references('id').inTable('tags').onDelete('CASCADE');
    t.unique(['contact_id', 'tag_id']);
    t.index(['tag_id', 'contact_id']);
  });
  await knex.schema.createTable('custom_fields', (t) => {
    t.increments('id').primary();
    t.string('key', 60).notNullable().unique(); // snake_case, used in imports, API and templates
    t.string('label', 100).notNullable();
    t.string('type', 20).notNullable(); // text | number | date | boolean | select | multiselect
    t.text('options').notNullable().defaultTo('[]'); // JSON list for select types
    t.integer('position').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
  });
  // One row per value (several for multiselect), so every custom-field filter is indexed.
  await knex.schema.createTable('contact_values', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.integer('field_id').notNullable().references('id').inTable('custom_fields').onDelete('CASCADE');
    t.string('text_value', 500).nullable(); // text, select option, boolean 'true'/'false', date 'YYYY-MM-DD'
    t.double('num_value').nullable(); // number; date as epoch ms (UTC midnight)
    t.unique(['contact_id', 'field_id', 'text_value']);
    t.index(['field_id', 'text_value', 'contact_id']);
    t.index(['field_id', 'num_value', 'contact_id']);
  });
}

async function history(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_notes', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.text('body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['contact_id', 'created_at']);
  });
  await knex.schema.createTable('consent_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.string('status', 12).notNullable(); // opted_in | opted_out
    t.string('source', 20).notNullable(); // import | form | keyword | api | agent | meta
    t.string('actor', 200).nullable();
    t.string('detail', 500).nullable();
    t.bigInteger('at').notNullable();
    t.index(['contact_id', 'at']);
  });
  await knex.schema.createTable('contact_activity', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.string('kind', 30).notNullable(); // note | change | consent | import | message_in | message_out | campaign | event
    t.string('ref', 60).nullable(); // id of the message/campaign/event
    t.text('summary').nullable(); // JSON
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('at').notNullable();
    t.index(['contact_id', 'at', 'id']);
    t.index(['kind', 'ref']);
  });
}

async function segmentsAndImports(knex: Knex): Promise<void> {
  await knex.schema.createTable('segments', (t) => {
    t.increments('id').primary();
    t.string('name', 120).notNullable().unique();
    t.text('definition').notNullable(); // JSON condition tree
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('import_jobs', (t) => {
    t.increments('id').primary();
    t.string('status', 20).notNullable(); // uploaded | queued | running | done | failed | cancelled
    t.string('file_path', 500).notNullable();
    t.string('original_name', 255).notNullable();
    t.string('format', 10).notNullable(); // csv | xlsx
    t.text('mapping').notNullable().defaultTo('{}');
    t.string('dedupe', 20).notNullable().defaultTo('skip'); // skip | fill_empty | overwrite
    t.string('default_country', 2).nullable();
    t.text('tags').notNullable().defaultTo('[]'); // tags added to every imported contact
    t.boolean('opt_in').notNullable().defaultTo(false);
    t.integer('total_rows').nullable();
    t.integer('next_row').notNullable().defaultTo(0); // resume point: rows before it are committed
    t.integer('inserted').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.integer('rejected').notNullable().defaultTo(0);
    t.string('rejected_path', 500).nullable();
    t.text('error').nullable();
    t.string('locked_by', 80).nullable();
    t.bigInteger('heartbeat_at').nullable();
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('started_at').nullable();
    t.bigInteger('finished_at').nullable();
    t.index(['status', 'id']);
  });
}

export async function up(knex: Knex): Promise<void> {
  await contacts(knex);
  await tagsAndFields(knex);
  await history(knex);
  await segmentsAndImports(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['import_jobs', 'segments', 'contact_activity', 'consent_events', 'contact_notes', 'contact_values', 'custom_fields', 'contact_tags', 'tags']) {
    await knex.schema.dropTableIfExists(table);
  }
  await dropTrigramIndex(knex, 'contacts', 'search_text');
  await knex.schema.dropTableIfExists('contacts');
}
