import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { apiGet, bearer, newKey, type Envelope } from '../../test/api-helpers.js';
import type { HttpClient } from '../../test/http.js';
import { auditAs } from '../audit/context.js';
import { CLI_ACTOR } from '../audit/service.js';
import { revokeApiKey } from '../api-keys/service.js';

type UserJson = Record<string, unknown> & { id: number; email: string; role: string };
type Page = { data: UserJson[]; next_cursor: string | null };

const USER_FIELDS = ['active', 'created_at', 'email', 'id', 'last_login_at', 'locale', 'name', 'role', 'two_factor_enabled', 'updated_at'];

describe('REST API /api/v1', () => {
  let app: TestApp;
  let c: HttpClient;
  let admin: string; // users:read + users:write
  let narrow: string; // dashboard:read only

  before(async () => {
    app = await startTestApp();
    c = app.client();
    await completeSetup(app.client());
    admin = (await newKey(app.deps, ['users:read', 'users:write'], { name: 'crm sync' })).secret;
    narrow = (await newKey(app.deps, ['dashboard:read'])).secret;
  });
  after(() => app.close());

  const postJson = (path: string, body: unknown, secret: string, headers: Record<string, string> = {}) =>
    c.json('POST', path, body, bearer(secret, headers));

  describe('authentication', () => {
    it('answers 401 in the envelope without a key, with a malformed one and with an unknown one', async () => {
      const none = await c.get('/api/v1/me');
      assert.equal(none.status, 401);
      assert.equal(none.json<Envelope>().error.code, 'unauthorized');
      assert.match(none.json<Envelope>().error.message, /Authorization header/);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      const basic = await c.get('/api/v1/me', { authorization: 'Basic dXNlcjpwYXNz' });
      assert.equal(basic.status, 401);
      const garbage = await apiGet(c, '/api/v1/me', 'not-a-key');
      assert.equal(garbage.json<Envelope>().error.message, 'This API key is not valid.');
      const unknown = await apiGet(c, '/api/v1/me', `cf_live_${'A'.repeat(43)}`);
      assert.equal(unknown.status, 401);
      assert.equal(unknown.json<Envelope>().error.code, 'unauthorized');
    });

    it('speaks Spanish when the client asks for it', async () => {
      const r = await c.get('/api/v1/me', { 'accept-language': 'es-MX,es;q=0.9' });
      assert.equal(r.status, 401);
      assert.match(r.json<Envelope>().error.message, /Envía una clave de API/);
    });

    it('refuses a revoked key at once', async () => {
      const { key, secret } = await newKey(app.deps, ['users:read']);
      assert.equal((await apiGet(c, '/api/v1/me', secret)).status, 200);
      await revokeApiKey(app.deps, key.id, auditAs(CLI_ACTOR, app.deps.clock));
      const r = await apiGet(c, '/api/v1/me', secret);
      assert.equal(r.status, 401);
      assert.equal(r.json<Envelope>().error.message, 'This API key has been revoked.');
    });

    it('GET /me describes the key and the install, for any valid key', async () => {
      const r = await apiGet(c, '/api/v1/me', narrow);
      assert.equal(r.status, 200);
      const me = r.json<{ key: Record<string, unknown>; install: { brand: { name: string }; company: { name: string; timezone: string }; plan: { plan: string; state: string; limits: Record<string, number | null> } } }>();
      assert.deepEqual(me.key.scopes, ['dashboard:read']);
      assert.equal(me.key.rate_limit_per_minute, 600);
      assert.match(String(me.key.prefix), /^cf_live_.{4}$/);
      assert.equal(me.install.brand.name, app.deps.brand.get().name);
      assert.equal(me.install.company.name, 'Clínica Dental Sonrisa');
      assert.equal(me.install.company.timezone, 'America/Mexico_City');
      assert.equal(me.install.plan.plan, 'professional');
      assert.equal(me.install.plan.state, 'trial');
      assert.equal(me.install.plan.limits.users, 10);
      assert.doesNotMatch(r.text, /key_hash|[0-9a-f]{64}/);
    });
  });

  describe('scopes', () => {
    it('answers 403 naming the scope a route requires', async () => {
      const r = await apiGet(c, '/api/v1/users', narrow);
      assert.equal(r.status, 403);
      const e = r.json<Envelope>().error;
      assert.equal(e.code, 'forbidden');
      assert.equal(e.details?.required_scope, 'users:read');
      assert.match(e.message, /users:read/);
      const readOnly = (await newKey(app.deps, ['users:read'])).secret;
      const w = await postJson('/api/v1/users', { name: 'X', email: 'x@example.com', role: 'agent', password: 'Secreto-2026!' }, readOnly);
      assert.equal(w.status, 403);
      assert.equal(w.json<Envelope>().error.details?.required_scope, 'users:write');
    });
  });

  describe('error envelope', () => {
    it('404 for an unknown route, under /api/v1 and elsewhere under /api', async () => {
      const r = await apiGet(c, '/api/v1/nothing-here', admin);
      assert.equal(r.status, 404);
      assert.deepEqual(r.json(), { error: { code: 'not_found', message: 'There is no API route GET /api/v1/nothing-here.' } });
      const v2 = await c.get('/api/v2/users');
      assert.equal(v2.status, 404);
      assert.equal(v2.json<Envelope>().error.code, 'not_found');
      assert.match(v2.headers.get('content-type') ?? '', /application\/json/);
    });

    it('405 with Allow for a known path and another method', async () => {
      const r = await c.request('DELETE', '/api/v1/users', { headers: bearer(admin) });
      assert.equal(r.status, 405);
      assert.equal(r.json<Envelope>().error.code, 'method_not_allowed');
      assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
    });

    it('400 for malformed JSON, 415 for a body that is not JSON, 413 for one over 1 MB', async () => {
      const bad = await c.request('POST', '/api/v1/users', { body: '{"name": ', headers: bearer(admin, { 'content-type': 'application/json' }) });
      assert.equal(bad.status, 400);
      assert.equal(bad.json<Envelope>().error.code, 'bad_request');
      const form = await c.request('POST', '/api/v1/users', { body: 'name=x', headers: bearer(admin, { 'content-type': 'application/x-www-form-urlencoded' }) });
      assert.equal(form.status, 415);
      assert.equal(form.json<Envelope>().error.code, 'unsupported_media_type');
      const big = await postJson('/api/v1/users', { name: 'x'.repeat(1_100_000) }, admin);
      assert.equal(big.status, 413);
      assert.equal(big.json<Envelope>().error.code, 'payload_too_large');
      assert.equal(await app.deps.db('users').where('name', 'like', 'xxx%').first(), undefined);
    });

    it('422 with details.fields for bad query, path and body input', async () => {
      const q = await apiGet(c, '/api/v1/users?limit=0&role=wizard', admin);
      assert.equal(q.status, 422);
      const e = q.json<Envelope>().error;
      assert.equal(e.code, 'validation_failed');
      const fields = e.details?.fields as Record<string, { code: string; message: string }>;
      assert.deepEqual(Object.keys(fields).sort(), ['limit', 'role']);
      assert.equal(fields.role!.message, 'Choose one of the options.');
      assert.equal((await apiGet(c, '/api/v1/users?limit=201', admin)).status, 422);
      const cursor = await apiGet(c, '/api/v1/users?cursor=garbage', admin);
      assert.equal(cursor.status, 422);
      assert.ok((cursor.json<Envelope>().error.details?.fields as Record<string, unknown>).cursor);
      const path = await apiGet(c, '/api/v1/users/abc', admin);
      assert.equal(path.status, 422);
      const body = await postJson('/api/v1/users', { name: '', email: 'nope', role: 'agent', password: 'short' }, admin, { 'accept-language': 'es' });
      assert.equal(body.status, 422);
      const bf = body.json<Envelope>().error.details?.fields as Record<string, { message: string }>;
      assert.deepEqual(Object.keys(bf).sort(), ['email', 'name', 'password']);
      assert.equal(bf.email!.message, 'Escribe un correo electrónico válido.');
    });

    it('404 in the envelope for a missing user', async () => {
      const r = await apiGet(c, '/api/v1/users/99999', admin);
      assert.equal(r.status, 404);
      assert.equal(r.json<Envelope>().error.code, 'not_found');
    });
  });

  describe('users and cursor pagination', () => {
    it('walks every user exactly once across pages, in order', async () => {
      // Same created_at for all (the test clock stands still): the id breaks the ties.
      for (let i = 0; i < 7; i++) await makeUser(app.deps, i % 3 === 0 ? 'agent' : 'viewer');
      const all = (await app.deps.db('users').select('id').orderBy([{ column: 'created_at' }, { column: 'id' }])).map((r) => Number(r.id));
      assert.equal(all.length, 8);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await apiGet(c, `/api/v1/users?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, admin);
        assert.equal(r.status, 200);
        const page = r.json<Page>();
        assert.ok(page.data.length <= 3);
        seen.push(...page.data.map((u) => u.id));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor && pages < 20);
      assert.deepEqual(seen, all, 'no duplicates, no gaps, same order');
      assert.equal(pages, 3);
    });

    it('filters by role and active, and never shows secrets', async () => {
      const victim = await makeUser(app.deps, 'agent');
      await app.deps.db('users').where({ id: victim.id }).update({ active: false });
      const agents = (await apiGet(c, '/api/v1/users?role=agent&limit=200', admin)).json<Page>();
      assert.ok(agents.data.length >= 2);
      assert.ok(agents.data.every((u) => u.role === 'agent'));
      const inactive = await apiGet(c, '/api/v1/users?active=false', admin);
      assert.deepEqual(inactive.json<Page>().data.map((u) => u.id), [victim.id]);
      assert.equal(inactive.json<Page>().next_cursor, null);
      for (const u of agents.data) assert.deepEqual(Object.keys(u).sort(), USER_FIELDS);
      assert.doesNotMatch(inactive.text, /\$2[aby]\$|password|totp_secret|recovery/);
      const one = await apiGet(c, `/api/v1/users/${victim.id}`, admin);
      assert.equal(one.status, 200);
      assert.equal(one.json<UserJson>().email, victim.email);
      assert.equal(one.json<UserJson>().active, false);
      assert.deepEqual(Object.keys(one.json<UserJson>()).sort(), USER_FIELDS);
    });
  });

  describe('idempotency', () => {
    const person = (email: string) => ({ name: 'Luis Agente', email, role: 'agent', password: 'Secreto-2026!' });
    const count = async (email: string) => Number((await app.deps.db('users').where({ email }).count({ n: '*' }).first())!.n);

    it('maps the plan\'s user limit to 402 with the reason', async () => {
      const active = Number((await app.deps.db('users').where({ active: true }).count({ n: '*' }).first())!.n);
      for (let i = active; i < 10; i++) await makeUser(app.deps, 'viewer');
      const r = await postJson('/api/v1/users', person('full@example.com'), admin);
      assert.equal(r.status, 402);
      assert.equal(r.json<Envelope>().error.code, 'license_required');
      assert.equal(r.json<Envelope>().error.details?.reason, 'plan.limit_reached.users');
      // Make room for the rest of the suite: only the owner stays active.
      await app.deps.db('users').whereNot({ role: 'owner' }).update({ active: false });
    });

    it('replays the stored response for the same key and request, creating once', async () => {
      const first = await postJson('/api/v1/users', person('luis@example.com'), admin, { 'idempotency-key': 'create-luis-1' });
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const again = await postJson('/api/v1/users', person('luis@example.com'), admin, { 'idempotency-key': 'create-luis-1' });
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.json(), first.json());
      assert.equal(await count('luis@example.com'), 1);
      const audited = await app.deps.db('audit_log').where({ action: 'user.created', entity_id: String(first.json<UserJson>().id) });
      assert.equal(audited.length, 1);
      assert.match(audited[0].actor, /^apikey:\d+ crm sync$/);
    });

    it('answers 409 when the key is reused with a different request', async () => {
      const r = await postJson('/api/v1/users', person('otro@example.com'), admin, { 'idempotency-key': 'create-luis-1' });
      assert.equal(r.status, 409);
      assert.equal(r.json<Envelope>().error.code, 'conflict');
      assert.equal(r.json<Envelope>().error.details?.reason, 'api.idempotency_mismatch');
      assert.equal(await count('otro@example.com'), 0);
    });

    it('concurrent requests with one key do the work once', async () => {
      const send = () => postJson('/api/v1/users', person('race@example.com'), admin, { 'idempotency-key': 'race-1' });
      const results = await Promise.all([send(), send(), send()]);
      for (const r of results) {
        const ok = r.status === 201 || (r.status === 409 && r.json<Envelope>().error.details?.reason === 'api.idempotency_in_progress');
        assert.ok(ok, `${r.status} ${r.text}`);
      }
      assert.ok(results.some((r) => r.status === 201));
      assert.equal(await count('race@example.com'), 1);
      await app.deps.db('users').where({ email: 'race@example.com' }).update({ active: false });
    });

    it('keys are per API key, failures free the key, and records expire after 24 h', async () => {
      const other = (await newKey(app.deps, ['users:write'])).secret;
      const mine = await postJson('/api/v1/users', person('ana2@example.com'), other, { 'idempotency-key': 'create-luis-1' });
      assert.equal(mine.status, 201, 'another key may use the same Idempotency-Key');
      const failed = await postJson('/api/v1/users', { ...person('bad'), email: 'bad' }, admin, { 'idempotency-key': 'k-retry' });
      assert.equal(failed.status, 422);
      const fixed = await postJson('/api/v1/users', person('fixed@example.com'), admin, { 'idempotency-key': 'k-retry' });
      assert.equal(fixed.status, 201);
      app.clock.advance(25 * 60 * 60_000);
      const later = await postJson('/api/v1/users', person('later@example.com'), admin, { 'idempotency-key': 'create-luis-1' });
      assert.equal(later.status, 201);
      assert.equal(await count('later@example.com'), 1);
      const bad = await postJson('/api/v1/users', person('z@example.com'), admin, { 'idempotency-key': 'tab\there' });
      assert.equal(bad.status, 422);
    });
  });

  describe('rate limit and key bookkeeping', () => {
    it('limits each key on its own and answers 429 with Retry-After', async () => {
      const slow = (await newKey(app.deps, ['users:read'], { rateLimit: 3 })).secret;
      for (let i = 0; i < 3; i++) assert.equal((await apiGet(c, '/api/v1/me', slow)).status, 200);
      const r = await apiGet(c, '/api/v1/me', slow);
      assert.equal(r.status, 429);
      assert.equal(r.json<Envelope>().error.code, 'rate_limited');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.equal((await apiGet(c, '/api/v1/me', admin)).status, 200, 'other keys are unaffected');
    });

    it('records last use at most once a minute', async () => {
      const { key, secret } = await newKey(app.deps, ['users:read']);
      const lastUsed = async () => (await app.deps.db('api_keys').where({ id: key.id }).first()).last_used_at;
      assert.equal(await lastUsed(), null);
      await apiGet(c, '/api/v1/me', secret);
      const t0 = app.clock.now();
      assert.equal(Number(await lastUsed()), t0);
      app.clock.advance(30_000);
      await apiGet(c, '/api/v1/me', secret);
      assert.equal(Number(await lastUsed()), t0, 'no write within the minute');
      app.clock.advance(31_000);
      await apiGet(c, '/api/v1/me', secret);
      assert.equal(Number(await lastUsed()), t0 + 61_000);
    });
  });

  it('answers 402 once the plan no longer includes the API (trial and grace over)', async () => {
    app.clock.advance(40 * 24 * 60 * 60_000);
    const r = await apiGet(c, '/api/v1/me', admin);
    assert.equal(r.status, 402);
    assert.equal(r.json<Envelope>().error.code, 'license_required');
    assert.equal((await c.get('/api/v1/openapi.json')).status, 200, 'the document stays public');
  });
});
