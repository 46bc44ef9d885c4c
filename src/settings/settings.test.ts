import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';
import type { Role } from '../users/permissions.js';
import { putSetting, readSettings, SETTING_KEYS, writeSettings } from './service.js';

function main(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

async function setting(app: TestApp, key: string): Promise<unknown> {
  const row = await app.deps.db('settings').where({ key }).first();
  return row ? JSON.parse(row.value) : undefined;
}

describe('settings', () => {
  let app: TestApp;
  let owner: HttpClient;
  const as: Partial<Record<Role, HttpClient>> = {};
  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
    for (const role of ['admin', 'manager', 'agent', 'viewer'] as const) {
      const u = await makeUser(app.deps, role, { name: `Persona ${role}` });
      as[role] = app.client();
      await login(as[role]!, u.email);
    }
  });
  after(() => app.close());

  it('serves the cached settings until a write, in or out of a transaction, then the new values', async () => {
    const defaults = { timezone: 'UTC', locale: 'es' as const };
    const db = app.deps.db;
    await putSetting(db, SETTING_KEYS.locale, 'es', 0); // a fresh cache entry: the TTL starts now
    const first = await readSettings(db, defaults);
    await db('settings').where({ key: SETTING_KEYS.companyName }).update({ value: JSON.stringify('Escrita a mano') });
    assert.equal((await readSettings(db, defaults)).companyName, first.companyName, 'a raw write is not seen before the TTL');
    await putSetting(db, SETTING_KEYS.companyName, 'Clínica Norte', 1);
    assert.equal((await readSettings(db, defaults)).companyName, 'Clínica Norte');
    await db.transaction((trx) => writeSettings(trx, { companyName: 'Clínica Sur' }, 2));
    await new Promise((r) => setImmediate(r));
    assert.equal((await readSettings(db, defaults)).companyName, 'Clínica Sur');
    await putSetting(db, SETTING_KEYS.companyName, first.companyName, 3);
  });

  it('lets only owners and admins reach /settings; others get a 403 page', async () => {
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      for (const p of ['/settings', '/settings/general', '/settings/security']) {
        const r = await as[role]!.get(p);
        assert.equal(r.status, 403, `${role} ${p}`);
        assert.match(r.text, /Acceso denegado/);
      }
    }
    const anon = await app.client().get('/settings');
    assert.equal(anon.location, '/login');
    const token = await as.viewer!.csrf('/account');
    const post = await as.viewer!.post('/settings/general', { companyName: 'X', timezone: 'UTC', locale: 'es' }, { csrf: token });
    assert.equal(post.status, 403);
    assert.equal(await setting(app, 'company.name'), 'Clínica Dental Sonrisa');
  });

  it('shows the hub with a card for each area the role may open', async () => {
    const r = await as.admin!.get('/settings');
    assert.equal(r.status, 200);
    const body = main(r.text);
    for (const [href, label] of [
      ['/settings/general', 'General'], ['/settings/users', 'Usuarios'], ['/settings/security', 'Seguridad'],
      ['/settings/api-keys', 'Claves de API'], ['/settings/audit', 'Registro de auditoría'],
    ]) {
      assert.match(body, new RegExp(`<a href="${href}">${label}</a>`), href);
    }
    assert.match(body, /Clínica Dental Sonrisa/);
    assert.match(r.text, /href="\/settings" class="active" aria-current="page"/);
  });

  it('re-renders the general form at 422 with messages and the typed values', async () => {
    const form = await as.admin!.get('/settings/general');
    assert.equal(form.status, 200);
    assert.match(form.text, /value="Clínica Dental Sonrisa"/);
    assert.match(form.text, /<option value="America\/Mexico_City" selected>/);
    const r = await as.admin!.post('/settings/general', { companyName: 'Nueva <Empresa>', timezone: 'Mars/Olympus', locale: 'xx' }, { csrfFrom: '/settings/general' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Corrige los campos marcados/);
    assert.match(r.text, /value="Nueva &lt;Empresa&gt;"/);
    assert.match(r.text, /id="f-timezone"[^>]*aria-invalid="true"/);
    assert.match(r.text, /Elige una zona horaria válida/);
    assert.match(r.text, /Elige una de las opciones/);
    const empty = await as.admin!.post('/settings/general', { companyName: '  ', timezone: 'UTC', locale: 'es' }, { csrfFrom: '/settings/general' });
    assert.equal(empty.status, 422);
    assert.match(empty.text, /Este campo es obligatorio/);
    assert.equal(await setting(app, 'company.name'), 'Clínica Dental Sonrisa');
  });

  it('saves general settings and audits only what changed', async () => {
    const r = await as.admin!.post('/settings/general', { companyName: 'Sonrisa Norte', timezone: 'America/Bogota', locale: 'en' }, { csrfFrom: '/settings/general' });
    assert.equal(r.status, 302);
    assert.equal(r.location, '/settings/general');
    assert.equal(await setting(app, 'company.name'), 'Sonrisa Norte');
    assert.equal(await setting(app, 'company.timezone'), 'America/Bogota');
    assert.equal(await setting(app, 'company.locale'), 'en');
    const rows = await app.deps.db('audit_log').where({ action: 'settings.general_updated' });
    assert.equal(rows.length, 1);
    assert.deepEqual(JSON.parse(rows[0].changes), {
      before: { companyName: 'Clínica Dental Sonrisa', timezone: 'America/Mexico_City', locale: 'es' },
      after: { companyName: 'Sonrisa Norte', timezone: 'America/Bogota', locale: 'en' },
    });
    assert.match((await as.admin!.get('/settings/general')).text, /Se guardó la configuración/);
    assert.match((await owner.get('/')).text, /Sonrisa Norte/);
    // The default language reaches people who have not chosen one: the sign-in page.
    assert.match((await app.client().get('/login')).text, /<html lang="en">/);

    const same = await as.admin!.post('/settings/general', { companyName: 'Sonrisa Norte', timezone: 'America/Bogota', locale: 'en' }, { csrfFrom: '/settings/general' });
    assert.equal(same.status, 302);
    assert.match((await as.admin!.get('/settings/general')).text, /No hubo cambios/);
    assert.equal((await app.deps.db('audit_log').where({ action: 'settings.general_updated' })).length, 1);
  });

  it('shows security settings; only the owner gets the enforcement switch', async () => {
    const adminPage = await as.admin!.get('/settings/security');
    assert.equal(adminPage.status, 200);
    assert.match(adminPage.text, /Solo el propietario puede cambiar esta opción/);
    assert.doesNotMatch(adminPage.text, /name="enforce2faForAdmins"/);
    assert.match(main(adminPage.text), /Persona admin/, 'admins without 2FA are listed');
    const ownerPage = await owner.get('/settings/security');
    assert.match(ownerPage.text, /<input id="f-enforce" type="checkbox" name="enforce2faForAdmins" value="on" aria-describedby/);
    const off = await owner.post('/settings/security', {}, { csrfFrom: '/settings/security' });
    assert.equal(off.status, 302);
    assert.match((await owner.get('/settings/security')).text, /No hubo cambios/);
    assert.equal(await setting(app, 'security.enforce_2fa_admins'), undefined);
  });
});
