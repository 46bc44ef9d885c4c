import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { bearer, newKey } from '../../test/api-helpers.js';
import { audit, type Actor } from './service.js';

const rowIds = (html: string) => [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
/** The table rows only (the filter's select also lists every action). */
const tableOf = (html: string) => /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';

describe('audit log page', () => {
  let app: TestApp;
  let owner: HttpClient;
  let ownerId: number;

  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner); // install timezone America/Mexico_City (UTC-6)
    ownerId = Number((await app.deps.db('users').where({ role: 'owner' }).first()).id);
  });
  after(() => app.close());

  it('shows entries for actions taken, with who, when (install timezone), IP and before → after', async () => {
    const r = await owner.post('/settings/api-keys', { name: 'Zapier', scopes: 'contacts:read' }, { csrfFrom: '/settings/api-keys/new' });
    assert.equal(r.status, 200);
    const page = await owner.get('/settings/audit');
    assert.equal(page.status, 200);
    assert.match(page.text, /Registro de auditoría/);
    assert.match(page.text, /Clave de API creada/, 'action label in Spanish');
    assert.match(page.text, /Instalación configurada/);
    assert.match(page.text, /Ana Dueña<br><span class="muted small">ana@clinica.mx/);
    assert.match(page.text, /Clave de API #\d+/);
    assert.match(page.text, /<code class="small">(::ffff:)?127\.0\.0\.1<\/code>/);
    assert.match(page.text, /<code>name<\/code>: <span>Zapier<\/span>/);
    // The test clock is 2026-11-24 12:00 UTC, which is 06:00 in Mexico City.
    assert.match(page.text, /24 nov 2026, 6:00/);
    assert.ok(!page.text.includes('12:00'), 'not shown in UTC');
  });

  it('names non-person actors: the command line, an API key, the system', async () => {
    const { secret } = await newKey(app.deps, ['users:write'], { name: 'Zap <x>' }); // made through the CLI's service path
    const created = await app.client().json('POST', '/api/v1/users', { name: 'Desde API', email: 'api@example.com', role: 'viewer', password: 'Secreto-2026!' }, bearer(secret));
    assert.equal(created.status, 201);
    await makeUser(app.deps, 'agent');
    const rows = tableOf((await owner.get('/settings/audit')).text);
    assert.match(rows, /Línea de comandos/);
    assert.match(rows, /Clave de API &#34;Zap &lt;x&gt;&#34;/);
    assert.match(rows, /<td>Sistema<\/td>/);
  });

  it('speaks English to an English-speaking admin', async () => {
    const c = app.client();
    const u = await makeUser(app.deps, 'admin', { locale: 'en' });
    await login(c, u.email);
    const page = await c.get('/settings/audit');
    assert.equal(page.status, 200);
    assert.match(page.text, /API key created/);
    assert.match(page.text, /Nov 24, 2026, 6:00/);
  });

  it('filters by action (a select with labels), by person and by entity type', async () => {
    const page = await owner.get('/settings/audit');
    assert.match(page.text, /<option value="apikey.created">Clave de API creada<\/option>/);
    const byAction = await owner.get('/settings/audit?action=apikey.created');
    assert.equal(byAction.status, 200);
    const ids = rowIds(byAction.text);
    const want = (await app.deps.db('audit_log').where({ action: 'apikey.created' }).orderBy('id', 'desc')).map((x) => Number(x.id));
    assert.deepEqual(ids, want);
    assert.match(byAction.text, /<option value="apikey.created" selected>/);
    const byUser = rowIds((await owner.get(`/settings/audit?user=${ownerId}`)).text);
    const mine = (await app.deps.db('audit_log').where({ user_id: ownerId }).orderBy('id', 'desc')).map((x) => Number(x.id));
    assert.deepEqual(byUser, mine);
    assert.ok(mine.length >= 1);
    const byEntity = rowIds((await owner.get('/settings/audit?entity=api_key')).text);
    assert.deepEqual(byEntity, want);
    const none = await owner.get('/settings/audit?action=nothing.like_this');
    assert.equal(none.status, 200);
    assert.match(none.text, /Ninguna entrada coincide con estos filtros/);
    assert.doesNotMatch(none.text, /Todavía no hay entradas/);
  });

  it('filters by date range in the install timezone, the end day included', async () => {
    const actor: Actor = { userId: null, label: 'system', ip: null, requestId: null };
    // 2026-11-20 05:00 UTC is still 2026-11-19 (23:00) in Mexico City.
    await audit(app.deps.db, actor, Date.UTC(2026, 10, 20, 5, 0), { action: 'test.late_evening' });
    await audit(app.deps.db, actor, Date.UTC(2026, 10, 20, 7, 0), { action: 'test.next_morning' });
    const on19 = await owner.get('/settings/audit?from=2026-11-19&to=2026-11-19');
    assert.equal(on19.status, 200);
    assert.match(tableOf(on19.text), /test\.late_evening/);
    assert.doesNotMatch(tableOf(on19.text), /test\.next_morning/);
    const on20 = await owner.get('/settings/audit?from=2026-11-20&to=2026-11-20');
    assert.match(tableOf(on20.text), /test\.next_morning/);
    assert.doesNotMatch(tableOf(on20.text), /test\.late_evening/);
    const since21 = await owner.get('/settings/audit?from=2026-11-21');
    assert.doesNotMatch(tableOf(since21.text), /test\./);
    assert.match(tableOf(since21.text), /Clave de API creada/);
    assert.match(since21.text, /name="from" value="2026-11-21"/, 'the filter keeps its value');
  });

  it('answers bad filters with the form at 422 and messages, never a 500', async () => {
    const cases: Array<[string, RegExp]> = [
      ['from=2026-13-45', /Escribe la fecha como AAAA-MM-DD/],
      ['to=ayer', /Escribe la fecha como AAAA-MM-DD/],
      ['from=2026-11-24&to=2026-11-01', /La fecha final no puede ser anterior a la inicial/],
      ['user=abc', /Escribe un número|no es válido/],
      ['action=%3Cscript%3E', /Elige una de las opciones/],
      ['before=-4', /no es válido|Escribe un número/],
      ['action=a&action=b', /no es válido|Elige una de las opciones/],
    ];
    for (const [q, message] of cases) {
      const r = await owner.get(`/settings/audit?${q}`);
      assert.equal(r.status, 422, q);
      assert.match(r.text, message, q);
      assert.match(r.text, /Corrige los campos marcados/, q);
      assert.doesNotMatch(r.text, /Todavía no hay entradas|Ninguna entrada coincide/, `${q}: no misleading empty state`);
    }
    const kept = await owner.get('/settings/audit?from=2026-13-45&action=apikey.created');
    assert.match(kept.text, /name="from" value="2026-13-45"/);
    assert.match(kept.text, /<option value="apikey.created" selected>/);
  });

  it('pages 50 at a time by id, with no duplicates or gaps', async () => {
    const actor: Actor = { userId: null, label: 'system', ip: null, requestId: null };
    for (let i = 0; i < 110; i++) await audit(app.deps.db, actor, app.clock.now(), { action: 'test.bulk', entityType: 'thing', entityId: i });
    const seen: number[] = [];
    let href: string | null = '/settings/audit?action=test.bulk';
    let pages = 0;
    while (href && pages < 10) {
      const r = await owner.get(href.replace(/&amp;/g, '&'));
      assert.equal(r.status, 200);
      const ids = rowIds(r.text);
      assert.ok(ids.length <= 50);
      if (pages > 0) assert.match(r.text, /href="\/settings\/audit\?action=test.bulk"[^>]*>Primera página/);
      seen.push(...ids);
      href = /<a class="btn btn-ghost" href="([^"]+)" rel="next">/.exec(r.text)?.[1] ?? null;
      if (href) assert.match(href, /action=test.bulk/, 'filters carried to the next page');
      pages += 1;
    }
    assert.equal(pages, 3);
    const all = (await app.deps.db('audit_log').where({ action: 'test.bulk' }).orderBy('id', 'desc')).map((x) => Number(x.id));
    assert.deepEqual(seen, all);
  });

  it('escapes HTML in the before/after summary', async () => {
    const actor: Actor = { userId: ownerId, label: 'ana@clinica.mx', ip: '10.0.0.1', requestId: null };
    await audit(app.deps.db, actor, app.clock.now(), {
      action: 'test.xss', entityType: 'thing', before: { name: '<b>old</b>' }, after: { name: '<script>alert(1)</script>', '<i>k</i>': 1 },
    });
    const r = await owner.get('/settings/audit?action=test.xss');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(r.text.includes('&lt;b&gt;old&lt;/b&gt;'));
    assert.ok(r.text.includes('&lt;i&gt;k&lt;/i&gt;'));
    assert.ok(!r.text.includes('<script>alert(1)'));
    assert.ok(!r.text.includes('<b>old</b>'));
  });

  it('is for owners and admins only', async () => {
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const c = app.client();
      const u = await makeUser(app.deps, role);
      await login(c, u.email);
      assert.equal((await c.get('/settings/audit')).status, 403, role);
    }
    const anon = await app.client().get('/settings/audit');
    assert.equal(anon.status, 302);
    assert.equal(anon.location, '/login');
  });
});
