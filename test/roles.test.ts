// Role × page: who may open what. The expected table is written out by hand
// from the product's intent (it is NOT computed from PERMISSIONS), so a
// change to the matrix that opens or closes a page shows up here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from './factories.js';
import { startTestApp, type TestApp } from './harness.js';
import type { HttpClient } from './http.js';

type Role = 'owner' | 'admin' | 'manager' | 'agent' | 'viewer';
const ROLES: Role[] = ['owner', 'admin', 'manager', 'agent', 'viewer'];
const Y = 200; // allowed
const N = 403; // denied

//                              owner admin manager agent viewer
const EXPECTED: Record<string, [number, number, number, number, number]> = {
  '/':                         [Y, Y, Y, Y, Y],
  '/contacts':                 [Y, Y, Y, Y, Y],
  '/inbox':                    [Y, Y, Y, Y, Y],
  '/campaigns':                [Y, Y, Y, Y, Y],
  '/templates':                [Y, Y, Y, Y, Y],
  '/calendar':                 [Y, Y, Y, Y, Y],
  '/reports':                  [Y, Y, Y, N, Y], // agents work conversations; reports are for managers and observers
  '/settings':                 [Y, Y, N, N, N],
  '/settings/users':           [Y, Y, N, N, N],
  '/settings/general':         [Y, Y, N, N, N],
  '/settings/security':        [Y, Y, N, N, N], // admins see it; only the owner changes it
  '/settings/audit':           [Y, Y, N, N, N],
  '/settings/api-keys':        [Y, Y, N, N, N],
  '/settings/whatsapp':        [Y, Y, N, N, N],
  '/settings/auto-replies':    [Y, Y, N, N, N],
  '/settings/quick-replies':   [Y, Y, Y, Y, N], // everyone who answers customers uses them
  '/account':                  [Y, Y, Y, Y, Y],
};

describe('role × page access', () => {
  let app: TestApp;
  const clients = new Map<Role, HttpClient>();

  before(async () => {
    app = await startTestApp();
    const owner = app.client();
    await completeSetup(owner);
    clients.set('owner', owner);
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const c = app.client();
      const u = await makeUser(app.deps, role);
      const r = await login(c, u.email);
      assert.equal(r.status, 302, `${role} signs in`);
      clients.set(role, c);
    }
  });
  after(() => app.close());

  it('every role gets exactly the pages the table allows', async () => {
    const actual: Record<string, number[]> = {};
    for (const path of Object.keys(EXPECTED)) {
      actual[path] = [];
      for (const role of ROLES) actual[path].push((await clients.get(role)!.get(path)).status);
    }
    assert.deepEqual(actual, EXPECTED);
  });

  it('signed out, every page sends to the login', async () => {
    const anon = app.client();
    for (const path of Object.keys(EXPECTED)) {
      const r = await anon.get(path);
      assert.equal(r.status, 302, path);
      assert.equal(r.location, '/login', path);
    }
  });

  it('a denied page is the 403 page in the user\'s language, not a redirect or a stack', async () => {
    const r = await clients.get('agent')!.get('/settings/audit');
    assert.equal(r.status, 403);
    assert.match(r.text, /Acceso denegado/);
    assert.doesNotMatch(r.text, /at .*\.ts:\d+/);
  });
});
