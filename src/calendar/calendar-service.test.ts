// The calendar service: form validation (field codes, Spanish texts), wall
// clock → instant, timeline and audit rows, and the contact's GDPR export
// and erasure carrying the events.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { eraseContact } from '../contacts/gdpr/erase.js';
import { writeContactArchive } from '../contacts/gdpr/export.js';
import { Invalid } from '../errors.js';
import { translator } from '../i18n/i18n.js';
import { seedContact } from '../inbox/test-seed.js';
import { addEvent, systemAudit, TZ, who } from './test-helpers.js';
import { cancelEvent, updateEvent, upcomingForContact } from './service.js';

async function invalidFields(p: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Invalid, `Invalid, got ${String(e)}`);
    return Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v.code]));
  }
  assert.fail('expected Invalid');
}

/** contact.json out of the archive (a ZIP whose first entry it is). */
function firstZipEntry(buf: Buffer): string {
  assert.equal(buf.readUInt32LE(0), 0x04034b50);
  const [method, size, nameLen, extraLen] = [buf.readUInt16LE(8), buf.readUInt32LE(18), buf.readUInt16LE(26), buf.readUInt16LE(28)];
  const start = 30 + nameLen + extraLen;
  if (size > 0) {
    const data = buf.subarray(start, start + size);
    return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
  }
  // Streamed entry (size in the data descriptor): inflate until the stream ends.
  return zlib.inflateRawSync(buf.subarray(start), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
}

describe('calendar service', () => {
  let app: TestApp;
  let contact: number;
  before(async () => {
    app = await startTestApp();
    await completeSetup(app.client());
    contact = await seedContact(app.deps, '+5215512340001', { first: 'Marta', last: 'Ruiz' });
  });
  after(() => app.close());

  it('refuses an end before the start, with the Spanish text for the field', async () => {
    const fields = await invalidFields(addEvent(app.deps, contact, { start_time: '11:00', end_time: '10:30' }));
    assert.deepEqual(fields, { end_time: 'calendar.end_before_start' });
    const es = translator(app.deps.catalog, 'es');
    assert.equal(es(fields.end_time!), 'La hora de fin debe ser posterior a la de inicio.');
  });

  it('refuses a missing title, a bad time zone, a bad date and a bad time', async () => {
    assert.deepEqual(await invalidFields(addEvent(app.deps, contact, { title: '  ' })), { title: 'validation.required' });
    assert.deepEqual(await invalidFields(addEvent(app.deps, contact, { time_zone: 'Mars/Olympus_Mons' })), { time_zone: 'calendar.bad_time_zone' });
    assert.deepEqual(await invalidFields(addEvent(app.deps, contact, { date: '2026-02-30' })), { date: 'calendar.bad_date' });
    assert.deepEqual(await invalidFields(addEvent(app.deps, contact, { start_time: '25:00' })), { start_time: 'calendar.bad_time' });
    assert.deepEqual(await invalidFields(addEvent(app.deps, contact, { title: 'x'.repeat(201) })), { title: 'validation.too_long' });
    assert.equal(Number((await app.deps.db('events').count({ n: '*' }).first())!.n), 0, 'nothing written');
  });

  it('stores the typed wall-clock time as the instant in that zone, audited and on the timeline', async () => {
    const e = await addEvent(app.deps, contact, { title: 'Revisión', notes: 'Traer radiografías' });
    assert.equal(e.startsAt, Date.UTC(2026, 10, 25, 16, 0), '10:00 in Mexico City is 16:00 UTC');
    assert.equal(e.endsAt, Date.UTC(2026, 10, 25, 16, 45));
    assert.equal(e.timeZone, TZ);
    assert.equal(e.status, 'scheduled');
    const act = await app.deps.db('contact_activity').where({ contact_id: contact, kind: 'event', ref: String(e.id) }).first();
    assert.ok(act, 'timeline row');
    assert.equal(JSON.parse(act.summary).text, 'Revisión');
    assert.ok(await app.deps.db('audit_log').where({ action: 'event.created', entity_type: 'event', entity_id: String(e.id) }).first());
    const allDay = await addEvent(app.deps, contact, { title: 'Día libre', all_day: '1', start_time: '', end_time: '' });
    assert.equal(allDay.startsAt, Date.UTC(2026, 10, 25, 6, 0));
    assert.equal(allDay.endsAt, Date.UTC(2026, 10, 26, 6, 0));
  });

  it('lists upcoming events only: not over, not cancelled', async () => {
    const past = await addEvent(app.deps, contact, { title: 'Ayer', date: '2026-11-23' });
    const soon = await addEvent(app.deps, contact, { title: 'Pronto', date: '2026-11-24', start_time: '07:00', end_time: '08:00' });
    const gone = await addEvent(app.deps, contact, { title: 'Anulada', date: '2026-11-26' });
    await cancelEvent(app.deps, who, gone.id, systemAudit(app.deps));
    const titles = (await upcomingForContact(app.deps, contact)).map((e) => e.title);
    assert.equal(titles[0], 'Pronto', 'soonest first');
    assert.ok(!titles.includes('Ayer') && !titles.includes('Anulada'), titles.join(','));
    assert.ok(past.id && soon.id);
  });

  it('edits keep the contact and move the times; a bad edit changes nothing', async () => {
    const e = await addEvent(app.deps, contact, { title: 'Mover' });
    const moved = await updateEvent(app.deps, who, e.id, { title: 'Movida', date: '2026-11-27', start_time: '09:00', end_time: '09:30', time_zone: TZ, status: 'confirmed' }, systemAudit(app.deps));
    assert.equal(moved.contactId, contact);
    assert.equal(moved.startsAt, Date.UTC(2026, 10, 27, 15, 0));
    assert.equal(moved.status, 'confirmed');
    await invalidFields(updateEvent(app.deps, who, e.id, { title: 'Mal', date: '2026-11-27', start_time: '09:00', end_time: '08:00', time_zone: TZ }, systemAudit(app.deps)));
    assert.equal((await app.deps.db('events').where({ id: e.id }).first()).title, 'Movida');
  });

  it('the GDPR export includes the events; erasing the contact deletes them and blanks their audit entries', async () => {
    const other = await seedContact(app.deps, '+5215512340002', { first: 'Otro' });
    const kept = await addEvent(app.deps, other, { title: 'De otro' });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeContactArchive(app.deps.db, contact, out, { t: translator(app.deps.catalog, 'es'), timeZone: TZ, now: app.clock.now() });
    const doc = JSON.parse(firstZipEntry(Buffer.concat(chunks))) as { events: Array<{ title: string; starts_at: string; notes: string | null }> };
    const revision = doc.events.find((e) => e.title === 'Revisión');
    assert.ok(revision, 'event exported');
    assert.equal(revision.starts_at, '2026-11-25T16:00:00.000Z');
    assert.equal(revision.notes, 'Traer radiografías');

    const ids = (await app.deps.db('events').where({ contact_id: contact }).pluck('id')).map(String);
    assert.ok(ids.length >= 5);
    const receipt = await eraseContact(app.deps, contact, systemAudit(app.deps));
    assert.equal(receipt.removed.events, ids.length);
    assert.equal((await app.deps.db('events').whereIn('id', ids)).length, 0);
    const audits = await app.deps.db('audit_log').where({ entity_type: 'event' }).whereIn('entity_id', ids);
    assert.ok(audits.length >= ids.length);
    assert.ok(audits.every((a) => a.changes === null), 'no titles or notes left in the audit log');
    assert.ok(await app.deps.db('events').where({ id: kept.id }).first(), "another contact's event stays");
  });
});
