// "Export this contact's data" (GDPR access/portability): a ZIP holding
// contact.json (fields, tags, custom values, consent ledger, notes, activity, calendar events)
// and messages.xlsx with their WhatsApp messages when the install has a
// messages table. Times in the JSON are ISO 8601 UTC; the spreadsheet shows
// the install's wall clock.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Writable } from 'node:stream';
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/knex.js';
import { json } from '../../db/rows.js';
import type { T } from '../../i18n/i18n.js';
import { NotFound } from '../../errors.js';
import { wallClock } from '../export/columns.js';
import { contactEventsForExport } from '../../calendar/service.js';

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

async function contactDocument(db: Db, id: number, now: number): Promise<Record<string, unknown>> {
  const c = await db('contacts').where({ id }).first();
  if (!c) throw new NotFound('contacts.not_found');
  const tags = await db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where('contact_tags.contact_id', id).orderBy('tags.name').pluck('tags.name');
  const fields = await db('custom_fields').select('key', 'label', 'type').orderBy('position');
  const custom = json<Record<string, unknown>>(c.custom, {});
  const consent = await db('consent_events').where({ contact_id: id }).orderBy('at').select('status', 'source', 'actor', 'detail', 'at');
  const notes = await db('contact_notes').leftJoin('users', 'users.id', 'contact_notes.user_id').where('contact_notes.contact_id', id)
    .orderBy('contact_notes.created_at').select('contact_notes.body', 'contact_notes.created_at', 'users.name as author');
  const activity = await db('contact_activity').where({ contact_id: id }).orderBy([{ column: 'at' }, { column: 'id' }]).select('kind', 'ref', 'summary', 'at');
  const events = (await db.schema.hasTable('events')) ? await contactEventsForExport(db, id) : [];
  return {
    exported_at: iso(now),
    contact: {
      id: Number(c.id), phone: c.phone, wa_id: c.wa_id, country: c.country, first_name: c.first_name, last_name: c.last_name,
      display_name: c.display_name, email: c.email, language: c.language, timezone: c.timezone,
      opt_in: c.opt_in, opt_in_source: c.opt_in_source, opt_in_at: iso(c.opt_in_at),
      last_inbound_at: iso(c.last_inbound_at), last_outbound_at: iso(c.last_outbound_at), created_at: iso(c.created_at), updated_at: iso(c.updated_at),
    },
    tags,
    custom_fields: fields.filter((f) => custom[f.key] !== undefined).map((f) => ({ key: f.key, label: f.label, type: f.type, value: custom[f.key] })),
    consent: consent.map((e) => ({ status: e.status, source: e.source, actor: e.actor, detail: e.detail, at: iso(e.at) })),
    notes: notes.map((n) => ({ body: n.body, author: n.author ?? null, at: iso(n.created_at) })),
    activity: activity.map((a) => ({ kind: a.kind, ref: a.ref, summary: json(a.summary, {}), at: iso(a.at) })),
    events: events.map((e) => ({
      title: e.title, notes: e.notes, location: e.location, starts_at: iso(e.startsAt), ends_at: iso(e.endsAt), all_day: e.allDay,
      time_zone: e.timeZone, status: e.status, assigned_to: e.assignedUserName, created_at: iso(e.createdAt), updated_at: iso(e.updatedAt),
    })),
  };
}

const MESSAGE_COLUMNS = ['id', 'created_at', 'direction', 'type', 'body', 'status', 'template_name', 'error_title', 'sent_at', 'delivered_at', 'read_at'];

/** messages.xlsx in a temp file (streamed by batches), or null when the install keeps no messages table. */
async function messagesWorkbook(db: Db, contactId: number, t: T, timeZone: string): Promise<string | null> {
  if (!(await db.schema.hasTable('messages'))) return null;
  const when = wallClock(timeZone);
  const file = path.join(os.tmpdir(), `chatflow-gdpr-${crypto.randomBytes(8).toString('hex')}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(t('contacts.gdpr.messages_sheet'));
  const dateCol = { width: 17, style: { numFmt: 'yyyy-mm-dd hh:mm' } };
  ws.columns = [
    { header: t('contacts.gdpr.msg.at'), key: 'at', ...dateCol }, { header: t('contacts.gdpr.msg.direction'), key: 'dir', width: 10 },
    { header: t('contacts.gdpr.msg.type'), key: 'type', width: 12 }, { header: t('contacts.gdpr.msg.body'), key: 'body', width: 60 },
    { header: t('contacts.gdpr.msg.status'), key: 'status', width: 12 }, { header: t('contacts.gdpr.msg.template'), key: 'tpl', width: 20 },
    { header: t('contacts.gdpr.msg.error'), key: 'err', width: 24 }, { header: t('contacts.gdpr.msg.sent_at'), key: 'sent', ...dateCol },
    { header: t('contacts.gdpr.msg.delivered_at'), key: 'delivered', ...dateCol }, { header: t('contacts.gdpr.msg.read_at'), key: 'read', ...dateCol },
  ];
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (let after = 0; ;) {
    const rows = await db('messages').where({ contact_id: contactId }).andWhere('id', '>', after).orderBy('id').limit(1000).select(MESSAGE_COLUMNS);
    for (const m of rows) {
      ws.addRow([when(m.created_at), t(`contacts.gdpr.dir.${m.direction}`), m.type, m.body, m.status, m.template_name, m.error_title,
        when(m.sent_at), when(m.delivered_at), when(m.read_at)]).commit();
    }
    if (rows.length < 1000) break;
    after = Number(rows[rows.length - 1].id);
  }
  ws.commit();
  await wb.commit();
  return file;
}

/** Writes the ZIP to `out`; the caller has checked the contact exists. */
export async function writeContactArchive(db: Db, contactId: number, out: Writable, o: { t: T; timeZone: string; now: number }): Promise<void> {
  const doc = await contactDocument(db, contactId, o.now);
  const messages = await messagesWorkbook(db, contactId, o.t, o.timeZone);
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve).on('close', resolve).on('error', reject);
    zip.on('error', reject);
  });
  zip.pipe(out);
  zip.append(JSON.stringify({ ...doc, messages_file: messages ? 'messages.xlsx' : null }, null, 2), { name: 'contact.json' });
  if (messages) zip.append(createReadStream(messages), { name: 'messages.xlsx' });
  await zip.finalize();
  await done;
  if (messages) await fs.rm(messages, { force: true });
}
