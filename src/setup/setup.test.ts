import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, PASSWORD } from '../../test/factories.js';

describe('first-run setup', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('sends every page to /setup while no user exists', async () => {
    const c = app.client();
    for (const p of ['/', '/login', '/settings', '/nope']) {
      const r = await c.get(p);
      assert.equal(r.status, 302, p);
      assert.equal(r.location, '/setup');
    }
    const health = await c.get('/healthz');
    assert.equal(health.status, 200);
  });

  it('re-renders the form at 422 with field errors in Spanish and keeps typed values', async () => {
    const c = app.client();
    const r = await c.post('/setup', {
      name: 'Ana <b>', email: 'not-an-email', password: 'short', password_confirm: 'other',
      company: '', timezone: 'Mars/Base', locale: 'es',
    }, { csrfFrom: '/setup' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Escribe un correo electrónico válido/);
    assert.match(r.text, /Usa al menos 10 caracteres/);
    assert.match(r.text, /Este campo es obligatorio/);
    assert.match(r.text, /Elige una zona horaria válida/);
    assert.match(r.text, /value="Ana &lt;b&gt;"/, 'typed value kept, escaped');
    assert.match(r.text, /value="not-an-email"/);
    assert.doesNotMatch(r.text, /value="short"/, 'passwords are never echoed');
    assert.equal(Number((await app.deps.db('users').count({ n: '*' }).first())!.n), 0);
  });

  it('rejects a setup post without a CSRF token', async () => {
    const c = app.client();
    await c.get('/setup');
    const r = await c.post('/setup', { name: 'X', email: 'x@y.z', password: PASSWORD, password_confirm: PASSWORD, company: 'C', timezone: 'UTC', locale: 'es' });
    assert.equal(r.status, 403);
    assert.equal(Number((await app.deps.db('users').count({ n: '*' }).first())!.n), 0);
  });

  it('creates the owner, signs them in, stores the company settings, and is then gone for good', async () => {
    const c = app.client();
    await completeSetup(c);
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Hola, Ana Dueña/);
    assert.match(home.text, /Clínica Dental Sonrisa/);
    const owner = await app.deps.db('users').first();
    assert.equal(owner.role, 'owner');
    assert.match(owner.password_hash, /^\$2[ab]\$/);
    const tz = await app.deps.db('settings').where({ key: 'company.timezone' }).first();
    assert.equal(JSON.parse(tz.value), 'America/Mexico_City');
    assert.equal((await c.get('/setup')).status, 404);
    const again = app.client();
    assert.equal((await again.get('/setup')).status, 404);
    assert.equal((await again.get('/')).location, '/login');
    const audit = await app.deps.db('audit_log').where({ action: 'setup.completed' }).first();
    assert.ok(audit, 'setup is audited');
    assert.doesNotMatch(audit.changes, /Secreto/);
  });
});
