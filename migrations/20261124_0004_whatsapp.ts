// WhatsApp channel and team inbox: business numbers, raw webhook events (the
// durable inbox of Meta's deliveries), conversations, messages, media,
// templates, quick replies, auto-reply rules and monthly usage counters.
import type { Knex } from 'knex';

async function numbersAndEvents(knex: Knex): Promise<void> {
  await knex.schema.createTable('wa_numbers', (t) => {
    t.increments('id').primary();
    t.string('label', 100).notNullable();
    t.string('phone_number_id', 40).notNullable().unique();
    t.string('waba_id', 40).notNullable().index();
    t.string('display_phone', 30).notNullable();
    t.string('verified_name', 200).nullable();
    t.text('access_token_enc').notNullable(); // AES-256-GCM with the install key
    t.text('app_secret_enc').notNullable();
    t.string('verify_token', 100).notNullable();
    t.boolean('is_sandbox').notNullable().defaultTo(false);
    t.string('status', 20).notNullable().defaultTo('active'); // active | token_invalid | disabled
    t.string('quality_rating', 20).nullable();
    t.string('throughput_tier', 30).nullable();
    t.text('business_hours').nullable(); // JSON {tz, days: {mon: [["09:00","18:00"]], …}}
    t.text('away_message').nullable();
    t.bigInteger('last_checked_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('webhook_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('received_at').notNullable();
    t.text('body').notNullable(); // the raw bytes as received (UTF-8), signature already verified
    t.string('status', 12).notNullable().defaultTo('pending'); // pending | done | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('locked_by', 80).nullable();
    t.bigInteger('locked_at').nullable();
    t.bigInteger('processed_at').nullable();
    t.text('error').nullable();
    t.index(['status', 'id']);
  });
}

async function conversations(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversations', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.integer('number_id').notNullable().references('id').inTable('wa_numbers').onDelete('CASCADE');
    t.string('status', 10).notNullable().defaultTo('open'); // open | pending | closed
    t.integer('assigned_user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.integer('unread_count').notNullable().defaultTo(0);
    t.bigInteger('last_message_at').notNullable();
    t.bigInteger('last_inbound_at').nullable(); // opens the 24-hour customer-service window
    t.string('last_preview', 200).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['contact_id', 'number_id']);
    t.index(['status', 'last_message_at', 'id']);
    t.index(['assigned_user_id', 'last_message_at', 'id']);
    t.index(['number_id', 'last_message_at', 'id']);
  });
  await knex.schema.createTable('media', (t) => {
    t.bigIncrements('id').primary();
    t.integer('number_id').nullable().references('id').inTable('wa_numbers').onDelete('SET NULL');
    t.string('meta_media_id', 100).nullable().index();
    t.string('mime_type', 120).nullable();
    t.string('sha256', 100).nullable();
    t.bigInteger('size_bytes').nullable();
    t.string('file_name', 255).nullable();
    t.string('file_path', 500).nullable(); // under $CHATFLOW_DATA_DIR/uploads/media
    t.string('status', 12).notNullable().defaultTo('pending'); // pending | stored | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['status', 'id']);
  });
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('conversation_id').notNullable().references('id').inTable('conversations').onDelete('CASCADE');
    t.bigInteger('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.integer('number_id').notNullable().references('id').inTable('wa_numbers').onDelete('CASCADE');
    t.string('direction', 4).notNullable(); // in | out | note (internal note, never sent)
    t.string('type', 20).notNullable(); // text image audio video document sticker location contacts interactive button reaction template system unsupported note
    t.text('body').nullable(); // text or caption, for display and search
    t.text('payload').nullable(); // JSON: the structured content
    t.string('wamid', 128).nullable().unique();
    t.string('callback_id', 100).nullable().unique(); // biz_opaque_callback_data
    t.string('status', 12).notNullable(); // queued | sent | delivered | read | failed | received
    t.integer('error_code').nullable();
    t.string('error_title', 300).nullable();
    t.bigInteger('media_id').nullable().references('id').inTable('media').onDelete('SET NULL');
    t.string('template_name', 512).nullable();
    t.boolean('business_initiated').notNullable().defaultTo(false); // counts toward messages/month
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('campaign_id').nullable().index();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    t.bigInteger('delivered_at').nullable();
    t.bigInteger('read_at').nullable();
    t.bigInteger('failed_at').nullable();
    t.index(['conversation_id', 'id']);
    t.index(['contact_id', 'id']);
    t.index(['created_at', 'id']);
  });
}

async function library(knex: Knex): Promise<void> {
  await knex.schema.createTable('templates', (t) => {
    t.increments('id').primary();
    t.string('waba_id', 40).notNullable();
    t.string('meta_id', 60).nullable();
    t.string('name', 512).notNullable();
    t.string('language', 15).notNullable();
    t.string('category', 20).notNullable(); // MARKETING | UTILITY | AUTHENTICATION
    t.string('status', 20).notNullable(); // APPROVED | PENDING | REJECTED | PAUSED | DISABLED | …
    t.string('quality', 20).nullable();
    t.text('components').notNullable(); // JSON as Meta returns it
    t.string('parameter_format', 12).nullable(); // positional | named
    t.string('rejected_reason', 300).nullable();
    t.bigInteger('synced_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['waba_id', 'name', 'language']);
    t.index(['status', 'name']);
  });
  await knex.schema.createTable('quick_replies', (t) => {
    t.increments('id').primary();
    t.string('shortcut', 40).notNullable().unique();
    t.string('title', 100).notNullable();
    t.text('body').notNullable(); // may hold {{first_name}}-style variables
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('auto_reply_rules', (t) => {
    t.increments('id').primary();
    t.integer('number_id').nullable().references('id').inTable('wa_numbers').onDelete('CASCADE'); // null = every number
    t.string('name', 100).notNullable();
    t.string('match_type', 10).notNullable(); // keyword | regex
    t.string('pattern', 300).notNullable();
    t.string('action', 20).notNullable(); // reply_text | reply_template | tag | assign
    t.text('action_value').notNullable(); // JSON
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('position').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('usage_counters', (t) => {
    t.increments('id').primary();
    t.string('name', 40).notNullable(); // messages_per_month, …
    t.string('period', 10).notNullable(); // YYYY-MM in the install timezone
    t.bigInteger('value').notNullable().defaultTo(0);
    t.unique(['name', 'period']);
  });
}

export async function up(knex: Knex): Promise<void> {
  await numbersAndEvents(knex);
  await conversations(knex);
  await library(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['usage_counters', 'auto_reply_rules', 'quick_replies', 'templates', 'messages', 'media', 'conversations', 'webhook_events', 'wa_numbers']) {
    await knex.schema.dropTableIfExists(table);
  }
}
