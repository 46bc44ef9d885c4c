import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser, PASSWORD } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';

const NEW_PASSWORD = 'Mi-clave-nueva-2026';

function issuedPassword(html: string): string {
  const m = /data-secret>([^<]+)</.exec(html);
  assert.ok(m, 'a temporary password is shown in the secret box');
  return m[1]!;
}

/** The page's own content, without the layout (whose top bar names the signed-in user). */
function main(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

async function userRow(app: TestApp, email: string) {
  return app.deps.db('users').where({ email }).first();
}

async function auditRows(app: TestApp, action: string, entityId?: number) {
  const q = app.deps.db('audit_log').where({ action }).orderBy('id');
  if (entityId !== undefined) q.where({ entity_id: String(entityId) });
  return (await q).map((r: { user_id: number | null; changes: string | null }) => ({ ...r, changes: r.changes ? JSON.parse(r.changes) : null }));
}

async function invite(c: HttpClient, form: Record<string, string>) {
  return c.post('/settings/users', { locale: 'es', ...form }, { csrfFrom: '/settings/users/new' });
}

describe('users management', () => {
  let app: TestApp;
  let owner: HttpClient;
  let ownerId: number;
  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
    ownerId = (await userRow(app, 'ana@clinica.mx')).id;
  });
  after(() => app.close());

  it('creates a user, shows the temporary password once and forces a change at first sign-in', async () => {
    const r = await invite(owner, { name: 'Beto Agente', email: 'Beto@Clinica.mx', role: 'agent' });
    assert.equal(r.status, 302);
    const row = await userRow(app, 'beto@clinica.mx');
    assert.equal(r.location, `/settings/users/${row.id}/credentials`);
    assert.equal(row.role, 'agent');
    assert.ok(row.must_change_password === true || row.must_change_password === 1);

    const page = await owner.get(r.location!);
    assert.equal(page.status, 200);
    assert.match(page.text, /Se agregó a Beto Agente/);
    assert.match(page.text, /class="secret-box"/);
    const temp = issuedPassword(page.text);
    assert.match(temp, /^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    const again = await owner.get(r.location!);
    assert.doesNotMatch(again.text, new RegExp(temp));
    assert.match(again.text, /se muestra una sola vez/);
    const sessions = await app.deps.db('sessions').select('sess');
    assert.ok(sessions.every((s: { sess: string }) => !s.sess.includes(temp)), 'no session row keeps the password');

    const [created] = await auditRows(app, 'user.created', row.id);
    assert.equal(created.user_id, ownerId);
    assert.deepEqual(created.changes.after, { name: 'Beto Agente', email: 'beto@clinica.mx', role: 'agent', locale: 'es', active: true });

    const beto = app.client();
    const li = await login(beto, 'beto@clinica.mx', temp);
    assert.equal(li.status, 302);
    for (const p of ['/', '/contacts', '/account', '/account/2fa']) {
      assert.equal((await beto.get(p)).location, '/account/password', p);
    }
    const form = await beto.get('/account/password');
    assert.match(form.text, /Estás usando una contraseña temporal/);
    const same = await beto.post('/account/password', { current_password: temp, password: temp, password_confirm: temp }, { csrfFrom: '/account/password' });
    assert.equal(same.status, 422);
    assert.match(same.text, /distinta de la actual/);
    const ok = await beto.post('/account/password', { current_password: temp, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }, { csrfFrom: '/account/password' });
    assert.equal(ok.status, 302);
    assert.equal(ok.location, '/');
    assert.equal((await beto.get('/')).status, 200);
    const after = await userRow(app, 'beto@clinica.mx');
    assert.ok(!after.must_change_password);
  });

  it('rejects invalid input at 422 with the typed values kept, and a taken e-mail', async () => {
    const r = await invite(owner, { name: '', email: 'nope', role: 'agent' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Este campo es obligatorio/);
    assert.match(r.text, /value="nope"/);
    assert.match(r.text, /aria-invalid="true"/);
    const dup = await invite(owner, { name: 'Otro', email: 'ana@clinica.mx', role: 'agent' });
    assert.equal(dup.status, 422);
    assert.match(dup.text, /Otro usuario ya tiene este correo/);
  });

  it('lists users with role and status badges, and filters by text, role and status', async () => {
    const viewer = await makeUser(app.deps, 'viewer', { name: 'Vera Vista', email: 'vera@clinica.mx' });
    await app.deps.db('users').where({ id: viewer.id }).update({ active: false });
    const all = await owner.get('/settings/users');
    assert.equal(all.status, 200);
    assert.match(all.text, /Ana Dueña/);
    assert.match(all.text, /Propietario/);
    assert.match(all.text, /Vera Vista[\s\S]*Observador[\s\S]*badge badge-warning">Inactivo/);
    const betoRow = main(all.text).split('<tr>').find((row) => row.includes('Beto Agente'))!;
    assert.match(betoRow, /24 nov 2026/, 'last sign-in in the install timezone and the user language');
    const veraRow = main(all.text).split('<tr>').find((row) => row.includes('Vera Vista'))!;
    assert.match(veraRow, /Nunca/);
    const byText = main((await owner.get('/settings/users?q=VERA')).text);
    assert.match(byText, /Vera Vista/);
    assert.doesNotMatch(byText, /Ana Dueña/);
    const byRole = main((await owner.get('/settings/users?role=owner')).text);
    assert.match(byRole, /Ana Dueña/);
    assert.doesNotMatch(byRole, /Vera Vista/);
    const inactive = main((await owner.get('/settings/users?status=inactive')).text);
    assert.match(inactive, /Vera Vista/);
    assert.doesNotMatch(inactive, /Ana Dueña/);
    const junk = await owner.get('/settings/users?role=emperor&status=%3Cx%3E');
    assert.equal(junk.status, 200, 'unknown filter values are ignored');
  });

  it('edits a user and audits before/after', async () => {
    const u = await makeUser(app.deps, 'agent', { name: 'Carla', email: 'carla@clinica.mx' });
    const r = await owner.post(`/settings/users/${u.id}`, { name: 'Carla Ruiz', email: 'carla.ruiz@clinica.mx', role: 'manager', locale: 'en' }, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(r.status, 302);
    const row = await userRow(app, 'carla.ruiz@clinica.mx');
    assert.equal(row.name, 'Carla Ruiz');
    assert.equal(row.role, 'manager');
    assert.equal(row.locale, 'en');
    const [e] = await auditRows(app, 'user.updated', u.id);
    assert.equal(e.changes.before.role, 'agent');
    assert.equal(e.changes.after.role, 'manager');
    assert.equal(e.changes.before.email, 'carla@clinica.mx');
    const page = await owner.get(`/settings/users/${u.id}`);
    assert.match(page.text, /Se guardaron los cambios de Carla Ruiz/);
  });

  it('keeps admins away from the owner and other admins (403), and refuses role escalation (422)', async () => {
    const admin = await makeUser(app.deps, 'admin', { email: 'adm1@clinica.mx' });
    const other = await makeUser(app.deps, 'admin', { email: 'adm2@clinica.mx' });
    const agent = await makeUser(app.deps, 'agent', { email: 'agente7@clinica.mx' });
    const c = app.client();
    await login(c, admin.email);
    const see = await c.get(`/settings/users/${ownerId}`);
    assert.equal(see.status, 403);
    assert.match(see.text, /Solo el propietario puede cambiar la cuenta del propietario/);
    const token = await c.csrf('/settings/users');
    const edit = await c.post(`/settings/users/${ownerId}`, { name: 'Hacked', email: 'ana@clinica.mx', role: 'owner', locale: 'es' }, { csrf: token });
    assert.equal(edit.status, 403);
    assert.equal((await userRow(app, 'ana@clinica.mx')).name, 'Ana Dueña');
    for (const action of ['deactivate', 'reset-password', 'sign-out']) {
      assert.equal((await c.post(`/settings/users/${ownerId}/${action}`, {}, { csrf: token })).status, 403, action);
    }
    assert.equal((await c.get(`/settings/users/${other.id}`)).status, 403, 'another admin');

    const escalate = await invite(c, { name: 'Eve', email: 'eve@clinica.mx', role: 'admin' });
    assert.equal(escalate.status, 422);
    assert.match(escalate.text, /No puedes asignar este rol/);
    assert.equal(await userRow(app, 'eve@clinica.mx'), undefined);
    const promote = await c.post(`/settings/users/${agent.id}`, { name: agent.name, email: agent.email, role: 'owner', locale: 'es' }, { csrf: token });
    assert.equal(promote.status, 422);
    assert.equal((await userRow(app, agent.email)).role, 'agent');
    const self = await c.post(`/settings/users/${admin.id}`, { name: admin.name, email: admin.email, role: 'manager', locale: 'es' }, { csrf: token });
    assert.equal(self.status, 422);
    assert.match(self.text, /Nadie puede cambiar su propio rol/);
    assert.equal((await userRow(app, admin.email)).role, 'admin');
  });

  it('deactivation ends the person\'s sessions at once; the owner cannot be deactivated', async () => {
    const u = await makeUser(app.deps, 'agent', { name: 'Dani', email: 'dani@clinica.mx' });
    const dani = app.client();
    await login(dani, u.email);
    assert.equal((await dani.get('/')).status, 200);
    const r = await owner.post(`/settings/users/${u.id}/deactivate`, {}, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(r.status, 302);
    assert.equal((await dani.get('/')).location, '/login');
    assert.equal(Number((await app.deps.db('sessions').where({ user_id: u.id }).count({ n: '*' }).first())!.n), 0);
    const [e] = await auditRows(app, 'user.deactivated', u.id);
    assert.deepEqual(e.changes, { before: { active: true }, after: { active: false } });
    const denied = await login(app.client(), u.email);
    assert.equal(denied.status, 401);
    assert.match(denied.text, /desactivada/);

    const back = await owner.post(`/settings/users/${u.id}/reactivate`, {}, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(back.status, 302);
    assert.equal((await login(app.client(), u.email)).status, 302);

    const selfOff = await owner.post(`/settings/users/${ownerId}/deactivate`, {}, { csrfFrom: '/settings/users' });
    assert.equal(selfOff.status, 409);
    assert.ok((await userRow(app, 'ana@clinica.mx')).active);
  });

  it('resets a password: shown once, old sessions and password stop working, change forced', async () => {
    const u = await makeUser(app.deps, 'manager', { email: 'mara@clinica.mx' });
    const mara = app.client();
    await login(mara, u.email);
    const r = await owner.post(`/settings/users/${u.id}/reset-password`, {}, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(r.status, 302);
    assert.equal(r.location, `/settings/users/${u.id}/credentials`);
    const page = await owner.get(r.location!);
    assert.match(page.text, /Se restableció la contraseña/);
    const temp = issuedPassword(page.text);
    assert.equal((await mara.get('/')).location, '/login', 'old session ended');
    assert.equal((await login(app.client(), u.email, PASSWORD)).status, 401, 'old password refused');
    const fresh = app.client();
    assert.equal((await login(fresh, u.email, temp)).status, 302);
    assert.equal((await fresh.get('/')).location, '/account/password');
    const [e] = await auditRows(app, 'user.password_reset', u.id);
    assert.equal(e.user_id, ownerId);
    assert.equal(e.changes.after.mustChange, true);
    assert.doesNotMatch(JSON.stringify(e), new RegExp(temp));
  });

  it('signs a user out everywhere and unlocks a locked account', async () => {
    const u = await makeUser(app.deps, 'agent', { email: 'lu@clinica.mx' });
    const lu = app.client();
    await login(lu, u.email);
    const out = await owner.post(`/settings/users/${u.id}/sign-out`, {}, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(out.status, 302);
    assert.equal((await lu.get('/')).location, '/login');
    assert.equal((await auditRows(app, 'user.sessions_revoked', u.id)).length, 1);

    for (let i = 0; i < 5; i++) await login(app.client(), u.email, 'wrong-password-1');
    const locked = await owner.get('/settings/users?status=locked');
    assert.match(locked.text, /lu@clinica\.mx[\s\S]*Bloqueado/);
    const manage = await owner.get(`/settings/users/${u.id}`);
    assert.match(manage.text, /Desbloquear cuenta/);
    const un = await owner.post(`/settings/users/${u.id}/unlock`, {}, { csrfFrom: `/settings/users/${u.id}` });
    assert.equal(un.status, 302);
    assert.equal((await login(app.client(), u.email)).status, 302);
    const [e] = await auditRows(app, 'user.unlocked', u.id);
    assert.equal(e.changes.after.lockedUntil, null);
    assert.ok(e.changes.before.lockedUntil);
  });

  it('answers 404 for unknown or malformed user ids, and 403 to roles without users:write', async () => {
    assert.equal((await owner.get('/settings/users/999999')).status, 404);
    assert.equal((await owner.get('/settings/users/abc')).status, 404);
    const m = await makeUser(app.deps, 'manager');
    const c = app.client();
    await login(c, m.email);
    assert.equal((await c.get('/settings/users')).status, 403);
    assert.equal((await c.get('/settings/users/new')).status, 403);
    const token = await c.csrf('/account');
    assert.equal((await c.post('/settings/users', { name: 'X', email: 'x@x.mx', role: 'viewer', locale: 'es' }, { csrf: token })).status, 403);
  });
});

describe('users limit of the plan', () => {
  let app: TestApp;
  let owner: HttpClient;
  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
  });
  after(() => app.close());

  it('allows the Professional limit of 10 active users and then says why it refuses', async () => {
    for (let i = 0; i < 8; i++) await makeUser(app.deps, 'agent');
    const tenth = await invite(owner, { name: 'Décimo', email: 'diez@clinica.mx', role: 'viewer' });
    assert.equal(tenth.status, 302);
    const list = await owner.get('/settings/users');
    assert.match(list.text, /10 de 10 usuarios activos/);
    assert.match(list.text, /ya están todos ocupados/);
    const form = await owner.get('/settings/users/new');
    assert.match(form.text, /alert alert-warning/);
    const eleventh = await invite(owner, { name: 'Once', email: 'once@clinica.mx', role: 'viewer' });
    assert.equal(eleventh.status, 402);
    assert.match(eleventh.text, /Tu plan permite 10 usuarios activos/);
    assert.equal(await userRow(app, 'once@clinica.mx'), undefined);

    const diez = await userRow(app, 'diez@clinica.mx');
    assert.equal((await owner.post(`/settings/users/${diez.id}/deactivate`, {}, { csrfFrom: '/settings/users' })).status, 302);
    assert.equal((await invite(owner, { name: 'Once', email: 'once@clinica.mx', role: 'viewer' })).status, 302);
    const again = await owner.post(`/settings/users/${diez.id}/reactivate`, {}, { csrfFrom: '/settings/users' });
    assert.equal(again.status, 402);
    assert.match(again.text, /Desactiva un usuario/);
  });
});
