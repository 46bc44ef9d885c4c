// The calendar: events and appointments, usually linked to a contact (the
// clinic's appointments). Times are UTC epoch ms; time_zone is the IANA zone
// the times were typed in, so a later edit, a reminder text or an .ics feed
// shows the same wall-clock time even if the install's zone changes.
// The reminder_* columns are written by the reminders feature (next step):
//   reminder_offsets  JSON array of minutes before starts_at, e.g. [1440, 120]
//   reminder_state    none | pending | sent | confirmed | cancelled — where the
//                     WhatsApp reminder with confirm/cancel buttons stands
//   next_reminder_at  when the next reminder is due (null = nothing due); the
//                     worker claims due rows through (next_reminder_at, id)
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('contact_id').nullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.string('title', 200).notNullable();
    t.text('notes').nullable();
    t.string('location', 200).nullable();
    t.bigInteger('starts_at').notNullable();
    t.bigInteger('ends_at').notNullable();
    t.boolean('all_day').notNullable().defaultTo(false);
    t.string('time_zone', 64).notNullable();
    t.string('status', 20).notNullable().defaultTo('scheduled'); // scheduled | confirmed | cancelled | done
    t.integer('assigned_user_id').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL');
    t.text('reminder_offsets').notNullable().defaultTo('[]');
    t.string('reminder_state', 20).notNullable().defaultTo('none');
    t.bigInteger('next_reminder_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['contact_id', 'starts_at'], 'events_contact_starts_idx'); // a contact's upcoming events
    t.index(['starts_at', 'id'], 'events_agenda_idx'); // the agenda, keyset by time
    t.index(['assigned_user_id', 'starts_at', 'id'], 'events_assignee_idx'); // the agenda filtered by user
    t.index(['next_reminder_at', 'id'], 'events_reminder_due_idx'); // reminders due
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('events');
}
