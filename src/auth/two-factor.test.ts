import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser, PASSWORD } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';
import { currentTotp } from './totp.js';

function secretOf(html: string): string {
  const m = /data-totp-secret>([A-Z2-7 ]+)</.exec(html);
  assert.ok(m, 'the enrolment page shows the secret for manual entry');
  return m[1]!.replace(/ /g, '');
}

function codesOf(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9a-f]{5}-[0-9a-f]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}

/** Enrols the signed-in client and returns its secret and recovery codes. */
async function enrol(app: TestApp, c: HttpClient): Promise<{ secret: string; codes: string[] }> {
  const page = await c.get('/account/2fa');
  const secret = secretOf(page.text);
  const r = await c.post('/account/2fa/enable', { code: currentTotp(secret, app.clock.now()) }, { csrfFrom: '/account/2fa' });
  assert.equal(r.status, 302, r.text.slice(0, 300));
  const codes = codesOf((await c.get('/account/2fa/recovery-codes')).text);
  return { secret, codes };
}

function wrongCode(secret: string, now: number): string {
  const right = currentTotp(secret, now);
  return right === '123456' ? '654321' : '123456';
}

describe('two-factor authentication', () => {
  let app: TestApp;
  let owner: HttpClient;
  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
  });
  after(() => app.close());

  it('enrols with a QR code and a confirmation code, then shows 10 recovery codes once', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'tfa@clinica.mx' });
    const c = app.client();
    await login(c, u.email);
    const page = await c.get('/account/2fa');
    assert.equal(page.status, 200);
    assert.match(page.text, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="220" height="220" alt="Código QR/);
    const secret = secretOf(page.text);
    assert.equal(secretOf((await c.get('/account/2fa')).text), secret, 'the pending secret is stable across reloads');

    const bad = await c.post('/account/2fa/enable', { code: wrongCode(secret, app.clock.now()) }, { csrfFrom: '/account/2fa' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Ese código no es válido/);
    const junk = await c.post('/account/2fa/enable', { code: 'abc' }, { csrfFrom: '/account/2fa' });
    assert.equal(junk.status, 422);
    assert.match(junk.text, /Escribe los 6 dígitos/);
    assert.ok(!(await app.deps.db('users').where({ id: u.id }).first()).totp_enabled);

    const ok = await c.post('/account/2fa/enable', { code: currentTotp(secret, app.clock.now()) }, { csrfFrom: '/account/2fa' });
    assert.equal(ok.status, 302);
    assert.equal(ok.location, '/account/2fa/recovery-codes');
    const shown = await c.get('/account/2fa/recovery-codes');
    const codes = codesOf(shown.text);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    assert.match(shown.text, /no se volverán a mostrar/);
    assert.equal((await c.get('/account/2fa/recovery-codes')).location, '/account/2fa', 'shown once');

    const row = await app.deps.db('users').where({ id: u.id }).first();
    assert.ok(row.totp_enabled);
    assert.ok(!String(row.totp_secret).includes(secret), 'the secret is stored encrypted');
    const hashes = JSON.parse(row.recovery_codes);
    assert.equal(hashes.length, 10);
    assert.ok(hashes.every((h: string) => h.startsWith('$2')), 'recovery codes stored as bcrypt hashes');
    const [audit] = await app.deps.db('audit_log').where({ action: 'user.2fa_enabled', entity_id: String(u.id) });
    assert.deepEqual(JSON.parse(audit.changes), { before: { totpEnabled: false }, after: { totpEnabled: true } });
    const sessions = await app.deps.db('sessions').where({ user_id: u.id });
    assert.ok(sessions.every((s: { sess: string }) => !s.sess.includes(secret) && !s.sess.includes(codes[0]!)), 'nothing secret left in the session');
  });

  it('asks for the code at login: a wrong code is 401, the right one signs in', async () => {
    const u = await makeUser(app.deps, 'manager', { email: 'code@clinica.mx' });
    const c = app.client();
    await login(c, u.email);
    const { secret } = await enrol(app, c);
    app.clock.advance(30_000);

    const d = app.client();
    const first = await login(d, u.email);
    assert.equal(first.status, 302);
    assert.equal(first.location, '/login/2fa');
    assert.equal((await d.get('/')).location, '/login', 'not signed in before the second factor');
    const wrong = await d.post('/login/2fa', { code: wrongCode(secret, app.clock.now()) }, { csrfFrom: '/login/2fa' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Ese código no es válido/);
    assert.ok((await app.deps.db('audit_log').where({ action: 'auth.2fa_failed', entity_id: String(u.id) })).length >= 1);
    const right = await d.post('/login/2fa', { code: currentTotp(secret, app.clock.now()) }, { csrfFrom: '/login/2fa' });
    assert.equal(right.status, 302);
    assert.equal(right.location, '/');
    assert.equal((await d.get('/')).status, 200);
  });

  it('accepts a recovery code once only; regenerating replaces them (password needed)', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'rec@clinica.mx' });
    const c = app.client();
    await login(c, u.email);
    const { codes } = await enrol(app, c);

    const a = app.client();
    await login(a, u.email);
    const used = await a.post('/login/2fa', { code: codes[0]!.toUpperCase() }, { csrfFrom: '/login/2fa' });
    assert.equal(used.status, 302);
    assert.match((await a.get('/')).text, /código de recuperación/);
    const b = app.client();
    await login(b, u.email);
    const again = await b.post('/login/2fa', { code: codes[0]! }, { csrfFrom: '/login/2fa' });
    assert.equal(again.status, 401);
    assert.match((await c.get('/account/2fa')).text, /Códigos de recuperación disponibles: 9/);

    const badPw = await c.post('/account/2fa/recovery-codes', { regen_password: 'nope-nope-1' }, { csrfFrom: '/account/2fa' });
    assert.equal(badPw.status, 422);
    assert.match(badPw.text, /id="f-regen_password"[^>]*aria-invalid="true"/);
    assert.match(badPw.text, /La contraseña no es correcta/);
    const regen = await c.post('/account/2fa/recovery-codes', { regen_password: PASSWORD }, { csrfFrom: '/account/2fa' });
    assert.equal(regen.location, '/account/2fa/recovery-codes');
    const fresh = codesOf((await c.get('/account/2fa/recovery-codes')).text);
    assert.equal(fresh.length, 10);
    const d = app.client();
    await login(d, u.email);
    assert.equal((await d.post('/login/2fa', { code: codes[1]! }, { csrfFrom: '/login/2fa' })).status, 401, 'old codes are void');
    assert.equal((await d.post('/login/2fa', { code: fresh[0]! }, { csrfFrom: '/login/2fa' })).status, 302);
  });

  it('disables 2FA with the password; login then needs no code', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'off@clinica.mx' });
    const c = app.client();
    await login(c, u.email);
    await enrol(app, c);
    const bad = await c.post('/account/2fa/disable', { disable_password: 'wrong-one-22' }, { csrfFrom: '/account/2fa' });
    assert.equal(bad.status, 422);
    assert.ok((await app.deps.db('users').where({ id: u.id }).first()).totp_enabled);
    const ok = await c.post('/account/2fa/disable', { disable_password: PASSWORD }, { csrfFrom: '/account/2fa' });
    assert.equal(ok.status, 302);
    const row = await app.deps.db('users').where({ id: u.id }).first();
    assert.ok(!row.totp_enabled);
    assert.equal(row.totp_secret, null);
    assert.equal((await login(app.client(), u.email)).location, '/');
    assert.equal((await app.deps.db('audit_log').where({ action: 'user.2fa_disabled', entity_id: String(u.id) })).length, 1);
  });

  it('enforcement by the owner sends admins without 2FA to enrol, and keeps it on', async () => {
    const admin = await makeUser(app.deps, 'admin', { email: 'boss@clinica.mx' });
    const agent = await makeUser(app.deps, 'agent', { email: 'free@clinica.mx' });
    const a = app.client();
    await login(a, admin.email);
    const denied = await a.post('/settings/security', { enforce2faForAdmins: 'on' }, { csrfFrom: '/settings/security' });
    assert.equal(denied.status, 403, 'only the owner may switch it');

    const on = await owner.post('/settings/security', { enforce2faForAdmins: 'on' }, { csrfFrom: '/settings/security' });
    assert.equal(on.status, 302);
    const [audit] = await app.deps.db('audit_log').where({ action: 'settings.security_updated' });
    assert.deepEqual(JSON.parse(audit.changes), { before: { enforce2faForAdmins: false }, after: { enforce2faForAdmins: true } });

    for (const p of ['/', '/settings', '/settings/users']) assert.equal((await a.get(p)).location, '/account/2fa', p);
    const page = await a.get('/account/2fa');
    assert.equal(page.status, 200);
    assert.match(page.text, /El propietario exige la verificación en dos pasos/);
    assert.equal((await owner.get('/')).location, '/account/2fa', 'the owner too, until enrolled');
    const ag = app.client();
    await login(ag, agent.email);
    assert.equal((await ag.get('/')).status, 200, 'agents are not affected');

    await enrol(app, a);
    assert.equal((await a.get('/')).status, 200);
    const manage = await a.get('/account/2fa');
    assert.match(manage.text, /así que no se puede desactivar/);
    assert.doesNotMatch(manage.text, /action="\/account\/2fa\/disable"/);
    const off = await a.post('/account/2fa/disable', { disable_password: PASSWORD }, { csrfFrom: '/account/2fa' });
    assert.equal(off.status, 403);
    assert.ok((await app.deps.db('users').where({ id: admin.id }).first()).totp_enabled);
  });
});
