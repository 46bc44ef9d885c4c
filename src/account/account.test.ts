import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser, PASSWORD } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';

const NEW_PASSWORD = 'Otra-clave-segura-9';

async function signedIn(app: TestApp, email: string): Promise<HttpClient> {
  const c = app.client();
  const r = await login(c, email);
  assert.equal(r.status, 302);
  return c;
}

async function sessionCount(app: TestApp, userId: number): Promise<number> {
  return Number((await app.deps.db('sessions').where({ user_id: userId }).count({ n: '*' }).first())!.n);
}

describe('my account', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await completeSetup(app.client());
  });
  after(() => app.close());

  it('needs a signed-in user', async () => {
    const r = await app.client().get('/account');
    assert.equal(r.status, 302);
    assert.equal(r.location, '/login');
  });

  it('changes the password: checks the current one, keeps this session, ends the others', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'pw@clinica.mx' });
    const c = await signedIn(app, u.email);
    const other = await signedIn(app, u.email);
    const form = '/account/password';

    const wrong = await c.post(form, { current_password: 'not-mine-123', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }, { csrfFrom: form });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /id="f-current_password"[^>]*aria-invalid="true"/);
    assert.match(wrong.text, /La contraseña no es correcta/);
    assert.doesNotMatch(wrong.text, /value="not-mine-123"/, 'passwords are never echoed');
    const mismatch = await c.post(form, { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: 'something-else-1' }, { csrfFrom: form });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.text, /Las contraseñas no coinciden/);
    const weak = await c.post(form, { current_password: PASSWORD, password: 'short', password_confirm: 'short' }, { csrfFrom: form });
    assert.equal(weak.status, 422);
    assert.match(weak.text, /Usa al menos 10 caracteres/);
    assert.equal(await sessionCount(app, u.id), 2, 'failed attempts change nothing');

    const ok = await c.post(form, { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }, { csrfFrom: form });
    assert.equal(ok.status, 302);
    assert.equal(ok.location, '/account');
    const page = await c.get('/account');
    assert.equal(page.status, 200, 'this session stays signed in');
    assert.match(page.text, /Tu contraseña se cambió/);
    assert.equal((await other.get('/')).location, '/login', 'the other session ended');
    assert.equal(await sessionCount(app, u.id), 1);
    assert.equal((await login(app.client(), u.email, PASSWORD)).status, 401);
    assert.equal((await login(app.client(), u.email, NEW_PASSWORD)).status, 302);
    const [audit] = await app.deps.db('audit_log').where({ action: 'user.password_changed', entity_id: String(u.id) });
    assert.ok(audit);
    assert.doesNotMatch(audit.changes, /Otra-clave/);
  });

  it('changing the profile language switches the whole UI to English', async () => {
    const u = await makeUser(app.deps, 'viewer', { name: 'Luis', email: 'luis@clinica.mx' });
    const c = await signedIn(app, u.email);
    const es = await c.get('/account');
    assert.match(es.text, /<html lang="es">/);
    assert.match(es.text, /Mi cuenta/);

    const bad = await c.post('/account', { name: '   ', locale: 'en' }, { csrfFrom: '/account' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Este campo es obligatorio/);
    const badLocale = await c.post('/account', { name: 'Luis', locale: 'fr' }, { csrfFrom: '/account' });
    assert.equal(badLocale.status, 422);
    assert.match(badLocale.text, /Elige una de las opciones/);

    const r = await c.post('/account', { name: 'Luis Gómez', locale: 'en' }, { csrfFrom: '/account' });
    assert.equal(r.status, 302);
    const en = await c.get('/account');
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /My account/);
    assert.match(en.text, /Your profile was saved/);
    assert.match(en.text, /Log out/);
    assert.match((await c.get('/')).text, /Welcome, Luis Gómez/);
    const row = await app.deps.db('users').where({ id: u.id }).first();
    assert.equal(row.locale, 'en');
    const [audit] = await app.deps.db('audit_log').where({ action: 'user.profile_updated', entity_id: String(u.id) });
    assert.deepEqual(JSON.parse(audit.changes), { before: { name: 'Luis', locale: 'es' }, after: { name: 'Luis Gómez', locale: 'en' } });
  });

  it('signs out of all other sessions and keeps this one', async () => {
    const u = await makeUser(app.deps, 'manager', { email: 'multi@clinica.mx' });
    const c = await signedIn(app, u.email);
    const phone = await signedIn(app, u.email);
    const laptop = await signedIn(app, u.email);
    const page = await c.get('/account');
    assert.match(page.text, /También tienes 2 sesión\(es\) abierta\(s\)/);
    const r = await c.post('/account/sessions/sign-out-others', {}, { csrfFrom: '/account' });
    assert.equal(r.status, 302);
    const after = await c.get('/account');
    assert.equal(after.status, 200);
    assert.match(after.text, /Se cerraron 2 sesión\(es\) más/);
    assert.match(after.text, /Solo tienes la sesión abierta aquí/);
    assert.equal((await phone.get('/')).location, '/login');
    assert.equal((await laptop.get('/')).location, '/login');
    assert.equal(await sessionCount(app, u.id), 1);
    const [audit] = await app.deps.db('audit_log').where({ action: 'user.other_sessions_revoked', entity_id: String(u.id) });
    assert.deepEqual(JSON.parse(audit.changes).after, { sessionsEnded: 2 });
  });
});
