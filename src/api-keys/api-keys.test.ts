import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { apiGet, type Envelope } from '../../test/api-helpers.js';
import type { HttpClient } from '../../test/http.js';
import { scopesFrom } from '../../installer/apikey-commands.js';
import { auditAs } from '../audit/context.js';
import { CLI_ACTOR } from '../audit/service.js';
import { parse } from '../web/validate.js';
import { NewApiKeyInput } from './schema.js';
import { createApiKey, readScopes } from './service.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = /cf_live_[A-Za-z0-9_-]{43}/;

describe('API keys', () => {
  let app: TestApp;
  let owner: HttpClient;
  let secret: string;

  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
  });
  after(() => app.close());

  it('the owner creates a key in Settings → API; it is shown once and stored only as a hash', async () => {
    const form = await owner.get('/settings/api-keys/new');
    assert.equal(form.status, 200);
    assert.match(form.text, /Nueva clave de API/);
    assert.match(form.text, /<strong>Contactos<\/strong>/, 'scopes grouped by feature, in Spanish');
    assert.match(form.text, /name="scopes" value="branding:manage"/, 'the owner may grant owner-only scopes');
    const r = await owner.post('/settings/api-keys', { name: 'Zapier', scopes: ['contacts:read', 'users:read'], rate_limit: '' }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const m = /<p class="secret-box"><code id="api-key-secret">(cf_live_[^<]+)<\/code><\/p>/.exec(r.text);
    assert.ok(m, 'the key sits in the secret box');
    secret = m[1]!;
    assert.match(secret, new RegExp(`^${KEY.source}$`));
    assert.match(r.text, /no se volverá a mostrar/);

    const row = await app.deps.db('api_keys').where({ name: 'Zapier' }).first();
    assert.equal(row.key_hash, crypto.createHash('sha256').update(secret).digest('hex'));
    assert.equal(row.prefix, secret.slice(0, 12));
    assert.deepEqual(JSON.parse(row.scopes), ['contacts:read', 'users:read']);
    assert.equal(row.created_by, (await app.deps.db('users').where({ role: 'owner' }).first()).id);
    assert.doesNotMatch(JSON.stringify(await app.deps.db('api_keys').select()), new RegExp(secret.slice(12)), 'no column holds the key');
    const audit = await app.deps.db('audit_log').where({ action: 'apikey.created' }).first();
    assert.equal(audit.entity_id, String(row.id));
    assert.doesNotMatch(audit.changes, new RegExp(secret.slice(12)));
    assert.match(audit.changes, /Zapier/);

    const list = await owner.get('/settings/api-keys');
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(`${secret.slice(0, 12)}…`), 'the list shows the prefix');
    assert.ok(!list.text.includes(secret), 'never the key again');
    assert.match(list.text, /Ana Dueña/);
    assert.match(list.text, /Nunca/, 'not used yet');
  });

  it('the key works, and its last use shows up', async () => {
    const r = await apiGet(app.client(), '/api/v1/me', secret);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json<{ key: { scopes: string[] } }>().key.scopes, ['contacts:read', 'users:read']);
    const row = await app.deps.db('api_keys').where({ name: 'Zapier' }).first();
    assert.equal(Number(row.last_used_at), app.clock.now());
    const list = await owner.get('/settings/api-keys');
    assert.doesNotMatch(list.text.split('Zapier')[1]!.split('</tr>')[0]!, /Nunca/);
  });

  it('revoking (a confirmed form) stops the key at once, and is audited', async () => {
    const list = await owner.get('/settings/api-keys');
    const id = (await app.deps.db('api_keys').where({ name: 'Zapier' }).first()).id;
    assert.match(list.text, new RegExp(`action="/settings/api-keys/${id}/revoke" data-confirm="¿Revocar la clave &#34;Zapier&#34;`));
    const r = await owner.post(`/settings/api-keys/${id}/revoke`, {}, { csrfFrom: '/settings/api-keys' });
    assert.equal(r.status, 302);
    assert.equal(r.location, '/settings/api-keys');
    const after = await owner.get('/settings/api-keys');
    assert.match(after.text, /Se revocó la clave &#34;Zapier&#34;/);
    assert.match(after.text, /Revocada/);
    const api = await apiGet(app.client(), '/api/v1/me', secret);
    assert.equal(api.status, 401);
    assert.equal(api.json<Envelope>().error.code, 'unauthorized');
    assert.ok(await app.deps.db('audit_log').where({ action: 'apikey.revoked', entity_id: String(id) }).first());
    assert.equal((await owner.post('/settings/api-keys/999/revoke', {}, { csrfFrom: '/settings/api-keys' })).status, 404);
    assert.equal((await owner.post('/settings/api-keys/abc/revoke', {}, { csrfFrom: '/settings/api-keys' })).status, 404);
  });

  it('re-renders the form at 422 with messages in the user\'s language and the typed values kept', async () => {
    const r = await owner.post('/settings/api-keys', { name: 'Web <form>', rate_limit: 'mucho' }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Elige al menos un alcance/);
    assert.match(r.text, /Escribe un número/);
    assert.match(r.text, /value="Web &lt;form&gt;"/);
    const en = app.client();
    const u = await makeUser(app.deps, 'admin', { locale: 'en' });
    await login(en, u.email);
    const r2 = await en.post('/settings/api-keys', { name: '', scopes: 'contacts:read' }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(r2.status, 422);
    assert.match(r2.text, /This field is required/);
    assert.match(r2.text, /id="scope-contacts-read" name="scopes" value="contacts:read" checked/, 'ticked boxes stay ticked');
    assert.equal(Number((await app.deps.db('api_keys').count({ n: '*' }).first())!.n), 1);
  });

  it('an admin cannot grant a scope their role lacks', async () => {
    const c = app.client();
    const u = await makeUser(app.deps, 'admin');
    await login(c, u.email);
    const form = await c.get('/settings/api-keys/new');
    assert.doesNotMatch(form.text, /value="branding:manage"/);
    const r = await c.post('/settings/api-keys', { name: 'Sneaky', scopes: ['contacts:read', 'branding:manage'] }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(r.status, 422);
    assert.match(r.text, /No puedes dar a una clave un permiso que tu rol no tiene/);
    const bogus = await c.post('/settings/api-keys', { name: 'Bogus', scopes: 'contacts:fly' }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(bogus.status, 422);
    assert.match(bogus.text, /Uno de los alcances no existe/);
  });

  it('agents, managers and viewers cannot reach Settings → API', async () => {
    for (const role of ['agent', 'manager', 'viewer'] as const) {
      const c = app.client();
      const u = await makeUser(app.deps, role);
      await login(c, u.email);
      assert.equal((await c.get('/settings/api-keys')).status, 403, role);
      assert.equal((await c.get('/settings/api-keys/new')).status, 403, role);
      const token = await c.csrf('/account');
      assert.equal((await c.post('/settings/api-keys', { name: 'x', scopes: 'contacts:read' }, { csrf: token })).status, 403, role);
    }
    assert.equal(Number((await app.deps.db('api_keys').count({ n: '*' }).first())!.n), 1);
  });

  it('the CLI path: no scopes means every read scope; unknown scopes are refused with the valid list', async () => {
    assert.deepEqual(scopesFrom(undefined), readScopes());
    assert.ok(readScopes().length > 3 && readScopes().every((s) => s.endsWith(':read')));
    assert.deepEqual(scopesFrom('users:read, contacts:write'), ['users:read', 'contacts:write']);
    assert.throws(() => scopesFrom('users:read,contacts:fly'), /unknown scope "contacts:fly"; valid scopes: dashboard:read, .*users:write/);
    const input = parse(NewApiKeyInput, { name: 'cron', scopes: scopesFrom(undefined) });
    const { key, secret: s } = await createApiKey(app.deps, 'cli', input, auditAs(CLI_ACTOR, app.deps.clock));
    assert.equal(key.createdBy, null);
    assert.deepEqual(key.scopes, readScopes());
    assert.equal((await apiGet(app.client(), '/api/v1/users', s)).status, 200);
    const entry = await app.deps.db('audit_log').where({ action: 'apikey.created', entity_id: String(key.id) }).first();
    assert.equal(entry.actor, 'cli');
    const list = await owner.get('/settings/api-keys');
    assert.match(list.text, /Línea de comandos/);
  });

  it('the real `chatflow apikey` commands print the key once and fail with one line', async () => {
    const run = promisify(execFile);
    const env = {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', CHATFLOW_DATA_DIR: app.db.dataDir,
      ...(app.db.databaseUrl ? { DATABASE_URL: app.db.databaseUrl } : {}),
    };
    const bin = path.join(ROOT, 'bin/chatflow.mjs');
    const out = await run(process.execPath, [bin, 'apikey', 'create', '--name', 'from cli', '--scopes', 'users:read'], { env, cwd: ROOT });
    const printed = KEY.exec(out.stdout)?.[0];
    assert.ok(printed, out.stdout);
    assert.equal((await apiGet(app.client(), '/api/v1/users', printed)).status, 200);
    const [list, bad] = await Promise.all([
      run(process.execPath, [bin, 'apikey', 'list'], { env, cwd: ROOT }),
      run(process.execPath, [bin, 'apikey', 'create', '--name', 'x', '--scopes', 'nope'], { env, cwd: ROOT }).then(() => null, (e: { code: number; stderr: string }) => e),
    ]);
    assert.match(list.stdout, /"from cli"/);
    assert.ok(!list.stdout.includes(printed), 'list never prints keys');
    assert.ok(bad, 'exits non-zero');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr.trim(), /^chatflow: unknown scope "nope"; valid scopes: .*users:read/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});
