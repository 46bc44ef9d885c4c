import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser, PASSWORD } from '../../test/factories.js';

async function audits(app: TestApp, action: string) {
  return app.deps.db('audit_log').where({ action }).orderBy('id');
}

describe('login, logout and lockout', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await completeSetup(app.client());
  });
  after(() => app.close());

  it('signs in with the right password and rotates the session id', async () => {
    const c = app.client();
    const token = await c.csrf('/login');
    const before = c.cookie('chatflow.sid');
    assert.ok(before, 'the login page starts a session (it holds the CSRF token)');
    const r = await c.post('/login', { email: 'ANA@clinica.mx', password: PASSWORD }, { csrf: token });
    assert.equal(r.status, 302);
    assert.equal(r.location, '/');
    const afterSid = c.cookie('chatflow.sid');
    assert.ok(afterSid);
    assert.notEqual(afterSid, before, 'session fixation: a new id after login');
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Hola, Ana Dueña/);
    const owner = await app.deps.db('users').where({ email: 'ana@clinica.mx' }).first();
    assert.ok(Number(owner.last_login_at) > 0);
    assert.ok((await audits(app, 'auth.login')).some((a: { entity_id: string }) => a.entity_id === String(owner.id)));
  });

  it('refuses a wrong password with 401, a Spanish message and an audit row', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'wrong@clinica.mx' });
    const c = app.client();
    const r = await login(c, u.email, 'not-the-password-1');
    assert.equal(r.status, 401);
    assert.match(r.text, /El correo o la contraseña no son correctos/);
    assert.match(r.text, /value="wrong@clinica.mx"/);
    assert.equal((await c.get('/')).location, '/login');
    const rows = await audits(app, 'auth.login_failed');
    assert.ok(rows.some((a: { entity_id: string }) => a.entity_id === String(u.id)));
    const unknown = await login(app.client(), 'nobody@clinica.mx', 'whatever-123');
    assert.equal(unknown.status, 401);
    assert.match(unknown.text, /El correo o la contraseña no son correctos/, 'same message: no account enumeration');
  });

  it('locks the account after 5 failures, even for the right password, until 15 minutes pass', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'lock@clinica.mx' });
    for (let i = 1; i <= 4; i++) assert.equal((await login(app.client(), u.email, `bad-password-${i}`)).status, 401);
    const fifth = await login(app.client(), u.email, 'bad-password-5');
    assert.equal(fifth.status, 401);
    assert.match(fifth.text, /bloqueada durante 15 minutos/);
    const right = await login(app.client(), u.email, PASSWORD);
    assert.equal(right.status, 401);
    assert.match(right.text, /bloqueada durante 15 minutos/);
    assert.equal((await audits(app, 'auth.account_locked')).length, 1);

    app.clock.advance(14 * 60_000);
    const still = await login(app.client(), u.email, PASSWORD);
    assert.match(still.text, /bloqueada durante 1 minutos/);
    app.clock.advance(60_000 + 1);
    const c = app.client();
    assert.equal((await login(c, u.email, PASSWORD)).status, 302);
    assert.equal((await c.get('/')).status, 200);
    const row = await app.deps.db('users').where({ id: u.id }).first();
    assert.equal(Number(row.failed_logins), 0);
    assert.equal(row.locked_until, null);
  });

  it('logout destroys the session: the old cookie no longer works', async () => {
    const u = await makeUser(app.deps, 'viewer');
    const c = app.client();
    await login(c, u.email);
    const sid = c.cookie('chatflow.sid')!;
    assert.equal((await c.get('/')).status, 200);
    const out = await c.post('/logout', {}, { csrfFrom: '/' });
    assert.equal(out.status, 302);
    assert.equal(out.location, '/login');
    const replay = app.client();
    const r = await replay.get('/', { cookie: `chatflow.sid=${sid}` });
    assert.equal(r.status, 302);
    assert.equal(r.location, '/login');
    assert.equal(Number((await app.deps.db('sessions').where({ user_id: u.id }).count({ n: '*' }).first())!.n), 0);
    assert.equal((await audits(app, 'auth.logout')).length >= 1, true);
  });

  it('a deactivated user is signed out at once, even if the session row survived', async () => {
    const u = await makeUser(app.deps, 'agent');
    const c = app.client();
    await login(c, u.email);
    assert.equal((await c.get('/')).status, 200);
    // Deactivated behind the app's back (e.g. by the CLI): the session row is still there.
    await app.deps.db('users').where({ id: u.id }).update({ active: false });
    assert.equal((await c.get('/')).location, '/login');
    assert.equal((await c.get('/contacts')).location, '/login');
  });

  it('returns to the page asked for before login, and ignores open-redirect attempts', async () => {
    const c = app.client();
    const first = await c.get('/settings/users?q=ana');
    assert.equal(first.location, '/login');
    const r = await login(c, 'ana@clinica.mx');
    assert.equal(r.location, '/settings/users?q=ana');

    for (const back of ['//evil.example/x', 'https://evil.example/', 'javascript:alert(1)']) {
      const res = await c.post('/locale', { locale: 'es', back }, { csrfFrom: '/' });
      assert.equal(res.status, 302);
      assert.equal(res.location, '/', back);
    }
    const other = app.client();
    await other.get('//evil.example');
    const li = await login(other, 'ana@clinica.mx');
    assert.equal(li.location, '/');
  });
});

describe('login rate limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ loginLimits: { perIp: 3, perAccount: 2, windowMs: 60_000 } });
    await completeSetup(app.client());
  });
  after(() => app.close());

  it('limits attempts per account, then per IP, with a 429 and a message', async () => {
    const a = 'ana@clinica.mx';
    assert.equal((await login(app.client(), a, 'bad-password-1')).status, 401);
    assert.equal((await login(app.client(), a, 'bad-password-2')).status, 401);
    const perAccount = await login(app.client(), a, PASSWORD);
    assert.equal(perAccount.status, 429, 'third try on one account (the IP is still within its 3)');
    assert.match(perAccount.text, /Demasiadas solicitudes/);
    const perIp = await login(app.client(), 'someone-else@clinica.mx', 'whatever-123');
    assert.equal(perIp.status, 429, 'fourth try from this IP, another account');
    assert.match(perIp.text, /Demasiadas solicitudes/);
    const owner = await app.deps.db('users').where({ email: a }).first();
    assert.equal(Number(owner.failed_logins), 2, 'rate-limited attempts never reach the password check');
  });
});
