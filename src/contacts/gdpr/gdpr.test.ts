// GDPR on one contact through HTTP: the data export (ZIP with contact.json
// and messages.xlsx) and the erasure, after which no table holds the
// contact's phone, name or e-mail, media files are gone, another contact is
// untouched, and the audit receipt carries counts but no personal data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ejs from 'ejs';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { login, makeUser } from '../../../test/factories.js';
import type { HttpClient } from '../../../test/http.js';
import { tableNames } from '../../db/dialect.js';
import { contactsByPhone, importFile, ownerClient } from '../import/test-helpers.js';

/** Entries of a ZIP by name (central directory; stored or deflated). */
function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const out = new Map<string, Buffer>();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const [method, size, nameLen, extra, comment, local] = [buf.readUInt16LE(p + 10), buf.readUInt32LE(p + 20), buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32), buf.readUInt32LE(p + 42)];
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : data);
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

const NEEDLES = ['5560009999', 'Ximena', 'Quiñones', 'ximena@privado.mx'];

/** Every row of every table, as text, that mentions one of the needles. */
async function mentions(app: TestApp): Promise<string[]> {
  const hits: string[] = [];
  for (const t of await tableNames(app.deps.db)) {
    if (t.startsWith('knex_')) continue;
    for (const row of await app.deps.db(t).select('*')) {
      const text = JSON.stringify(row);
      for (const n of NEEDLES) if (text.includes(n)) hits.push(`${t}: ${n}`);
    }
  }
  return hits;
}

describe('GDPR: export and erase one contact', () => {
  let app: TestApp;
  let c: HttpClient;
  let ximena: number;
  let other: number;
  let mediaFile: string;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
    const csv = 'Nombre,Apellido,Teléfono,Correo,Etiquetas,Notas,Ciudad\n' +
      'Ximena,Quiñones,+52 55 6000 9999,ximena@privado.mx,vip,"Alérgica a la penicilina",Oaxaca\n' +
      'Otro,Cliente,+52 55 6000 1111,otro@example.com,vip,,León\n';
    await importFile(app, c, 'gdpr.csv', csv, { opt_in: true });
    const byPhone = await contactsByPhone(app);
    ximena = Number(byPhone.get('+525560009999')!.id);
    other = Number(byPhone.get('+525560001111')!.id);
    const db = app.deps.db;
    const now = app.clock.now();
    const [num] = await db('wa_numbers').insert({
      label: 'Recepción', phone_number_id: '1001', waba_id: '2002', display_phone: '+52 55 0000 0000', access_token_enc: 'x',
      app_secret_enc: 'x', verify_token: 'v', created_at: now, updated_at: now,
    }, ['id']);
    mediaFile = path.join('uploads', 'media', 'ximena-receta.jpg');
    fs.mkdirSync(path.join(app.db.dataDir, 'uploads', 'media'), { recursive: true });
    fs.writeFileSync(path.join(app.db.dataDir, mediaFile), 'jpeg bytes');
    const [media] = await db('media').insert({ number_id: num.id, mime_type: 'image/jpeg', file_path: mediaFile, status: 'stored', created_at: now }, ['id']);
    for (const id of [ximena, other]) {
      const [conv] = await db('conversations').insert({ contact_id: id, number_id: num.id, last_message_at: now, created_at: now, updated_at: now }, ['id']);
      await db('messages').insert([
        { conversation_id: conv.id, contact_id: id, number_id: num.id, direction: 'in', type: 'text', body: 'Hola, soy Ximena Quiñones'.replace('Ximena Quiñones', id === ximena ? 'Ximena Quiñones' : 'otro'), status: 'received', created_at: now },
        { conversation_id: conv.id, contact_id: id, number_id: num.id, direction: 'out', type: 'image', body: 'Su receta', status: 'read', media_id: id === ximena ? media.id : null, created_at: now + 1000, read_at: now + 5000 },
      ]);
    }
    await db('webhook_events').insert({ received_at: now, body: '{"contacts":[{"wa_id":"5215560009999","profile":{"name":"Ximena"}}]}', status: 'done' });
    await db('usage_counters').insert({ name: 'messages_per_month', period: '2026-11', value: 4 });
    await db('audit_log').insert({ at: now, actor: 'ana@clinica.mx', action: 'contact.updated', entity_type: 'contact', entity_id: String(ximena), changes: JSON.stringify({ before: { email: null }, after: { email: 'ximena@privado.mx' } }) });
  });
  after(() => app.close());

  it('exports the contact\'s data as a ZIP with contact.json and messages.xlsx', async () => {
    const token = await c.csrf(`/contacts/${ximena}/erase`);
    const r = await fetch(`${app.url}/contacts/${ximena}/gdpr-export`, {
      method: 'POST', body: new URLSearchParams({ _csrf: token }),
      headers: { cookie: `chatflow.sid=${c.cookie('chatflow.sid')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition') ?? '', /ChatFlow-contacto-\d+-datos-2026-11-24\.zip/);
    const files = unzip(Buffer.from(await r.arrayBuffer()));
    assert.deepEqual([...files.keys()].sort(), ['contact.json', 'messages.xlsx']);
    const doc = JSON.parse(files.get('contact.json')!.toString('utf8'));
    assert.equal(doc.contact.phone, '+525560009999');
    assert.equal(doc.contact.last_name, 'Quiñones');
    assert.deepEqual(doc.tags, ['vip']);
    assert.deepEqual(doc.custom_fields.map((f: { key: string; value: unknown }) => [f.key, f.value]), [['city', 'Oaxaca']]);
    assert.deepEqual(doc.consent.map((e: { status: string; source: string }) => [e.status, e.source]), [['opted_in', 'import']]);
    assert.equal(doc.notes[0].body, 'Alérgica a la penicilina');
    assert.equal(doc.activity[0].kind, 'import');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files.get('messages.xlsx')! as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean).map((v) => (v as unknown[]).slice(1));
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0]!.slice(0, 4), ['Fecha', 'Dirección', 'Tipo', 'Texto']);
    assert.deepEqual(rows[1]!.slice(1, 5), ['Recibido', 'text', 'Hola, soy Ximena Quiñones', 'received']);
    assert.ok(rows[1]![0] instanceof Date);
    const entry = await app.deps.db('audit_log').where({ action: 'contact.data_exported' }).first();
    assert.equal(entry.entity_id, String(ximena));
  });

  it('asks for the typed confirmation and refuses roles without contacts:delete', async () => {
    const page = await c.get(`/contacts/${ximena}/erase`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Escribe BORRAR para confirmar/);
    const wrong = await c.post(`/contacts/${ximena}/erase`, { confirm: 'si' }, { csrfFrom: `/contacts/${ximena}/erase` });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /Escribe BORRAR exactamente/);
    const agent = await makeUser(app.deps, 'agent');
    const ac = app.client();
    await login(ac, agent.email);
    assert.equal((await ac.get(`/contacts/${ximena}/erase`)).status, 403);
    assert.equal((await ac.post(`/contacts/${ximena}/erase`, { confirm: 'BORRAR' }, { csrfFrom: '/' })).status, 403);
    assert.ok(await app.deps.db('contacts').where({ id: ximena }).first());
  });

  it('erases the contact everywhere, keeps aggregates and the other contact, and leaves a receipt without personal data', async () => {
    assert.ok((await mentions(app)).length > 5, 'the scan finds the contact before erasure');
    const r = await c.post(`/contacts/${ximena}/erase`, { confirm: 'borrar' }, { csrfFrom: `/contacts/${ximena}/erase` });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/contacts');
    assert.deepEqual(await mentions(app), []);
    assert.equal(fs.existsSync(path.join(app.db.dataDir, mediaFile)), false, 'media file deleted');
    const receipt = await app.deps.db('audit_log').where({ action: 'contact.erased' }).first();
    assert.equal(receipt.entity_id, String(ximena));
    assert.equal(receipt.actor, 'ana@clinica.mx');
    const after = JSON.parse(receipt.changes).after;
    assert.deepEqual(after.removed, {
      ...after.removed, contacts: 1, contact_notes: 1, contact_tags: 1, contact_values: 1, consent_events: 1,
      contact_activity: 1, messages: 2, conversations: 1, media: 1,
    });
    assert.equal(after.erased_at, '2026-11-24T12:00:00.000Z');
    assert.equal(Number((await app.deps.db('messages').where({ contact_id: other }).count({ n: '*' }).first())!.n), 2);
    assert.equal((await app.deps.db('contacts').where({ id: other }).first()).email, 'otro@example.com');
    assert.equal(Number((await app.deps.db('usage_counters').first()).value), 4, 'aggregates survive');
    assert.equal((await c.get(`/contacts/${ximena}/erase`)).status, 404);
  });

  it('offers the two buttons in views/contacts/_gdpr.ejs to those allowed, and nothing to others', async () => {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../views/contacts/_gdpr.ejs');
    const t = (k: string) => `«${k}»`;
    const html = await ejs.renderFile(file, { contact: { id: 7 }, can: () => true, csrfToken: 'tok', t });
    assert.match(html, /action="\/contacts\/7\/gdpr-export"[\s\S]*name="_csrf" value="tok"/);
    assert.match(html, /href="\/contacts\/7\/erase"/);
    const none = await ejs.renderFile(file, { contact: { id: 7 }, can: () => false, csrfToken: 'tok', t });
    assert.equal(none.trim(), '');
  });
});
