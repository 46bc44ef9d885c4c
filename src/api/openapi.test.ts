import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Router } from 'express';
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { bearer, newKey } from '../../test/api-helpers.js';
import { ALL_PERMISSIONS, ROLES } from '../users/permissions.js';
import { apiRouter, buildRegistry } from './router.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(doc: Json): Array<{ method: string; path: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ method, path, op: op as Json })));
}

function resolvePointer(doc: Json, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local refs: ${ref}`);
  return ref.slice(2).split('/').reduce<unknown>((node, part) => {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    return node && typeof node === 'object' ? (node as Json)[key] : undefined;
  }, doc);
}

function allRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}

/** What the Express router really serves, found by walking its layers. */
function servedRoutes(router: Router, prefix = '/api/v1'): string[] {
  const out: string[] = [];
  const walk = (stack: Json[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods as Json)) if (m !== '_all') out.push(`${m} ${prefix}${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack as Json[]);
    }
  };
  walk((router as unknown as Json).stack as Json[]);
  return out.sort();
}

describe('OpenAPI document', () => {
  let app: TestApp;
  let doc: Json;
  let secret: string;

  before(async () => {
    app = await startTestApp();
    await completeSetup(app.client());
    secret = (await newKey(app.deps, [...ALL_PERMISSIONS])).secret;
    const r = await app.client().get('/api/v1/openapi.json');
    assert.equal(r.status, 200, 'public: no key needed');
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    doc = r.json<Json>();
  });
  after(() => app.close());

  it('is a structurally valid OpenAPI 3 document with the brand in its title', () => {
    assert.match(doc.openapi, /^3\.[01]\.\d+$/);
    assert.equal(doc.info.title, `${app.deps.brand.get().name} API`);
    assert.equal(typeof doc.info.version, 'string');
    assert.equal(doc.servers[0].url, `${app.deps.config.publicUrl}/api/v1`);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { ...doc.components.securitySchemes.bearerAuth, type: 'http', scheme: 'bearer' });
    const ids = new Set<string>();
    for (const { method, path, op } of operations(doc)) {
      const where = `${method} ${path}`;
      assert.ok(op.operationId && !ids.has(op.operationId), `${where}: unique operationId`);
      ids.add(op.operationId);
      assert.ok(op.summary, `${where}: summary`);
      const codes = Object.keys(op.responses ?? {});
      assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${where}: a success response`);
      for (const c of codes) assert.ok(op.responses[c].description || op.responses[c].$ref, `${where} ${c}: described`);
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        assert.ok(op.parameters.some((p: Json) => p.in === 'path' && p.name === name && p.required === true), `${where}: path parameter ${name}`);
      }
      for (const p of op.parameters ?? []) assert.ok(['path', 'query', 'header'].includes(p.in) && p.schema, `${where}: parameter ${p.name}`);
    }
  });

  it('resolves every $ref, and errors use the envelope schema', () => {
    const refs = allRefs(doc);
    assert.ok(refs.length > 0);
    for (const ref of refs) assert.ok(resolvePointer(doc, ref) !== undefined, `unresolved ${ref}`);
    const err = doc.components.schemas.Error;
    assert.deepEqual(err.required, ['error']);
    assert.deepEqual(err.properties.error.required, ['code', 'message']);
    assert.ok(err.properties.error.properties.code.enum.includes('validation_failed'));
    const users = doc.paths['/users'].get;
    assert.equal(users.responses['403'].$ref, '#/components/responses/Forbidden');
    assert.equal(users.responses['401'].$ref, '#/components/responses/Unauthorized');
  });

  it('states security and the required scope of every operation', () => {
    for (const { method, path, op } of operations(doc)) {
      if (path === '/openapi.json') {
        assert.deepEqual(op.security, [], 'the document itself is public');
        continue;
      }
      assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path}`);
      assert.ok('x-required-scope' in op, `${method} ${path}: x-required-scope`);
    }
    assert.equal(doc.paths['/users'].get['x-required-scope'], 'users:read');
    assert.equal(doc.paths['/users/{id}'].get['x-required-scope'], 'users:read');
    assert.equal(doc.paths['/users'].post['x-required-scope'], 'users:write');
    assert.equal(doc.paths['/me'].get['x-required-scope'], null);
  });

  it('documents the schemas the routes validate with', () => {
    const list = doc.paths['/users'].get;
    const param = (name: string) => list.parameters.find((p: Json) => p.name === name);
    assert.deepEqual(param('limit').schema, { default: 50, type: 'integer', minimum: 1, maximum: 200 });
    assert.deepEqual(param('role').schema.enum, [...ROLES]);
    assert.deepEqual(param('active').schema.enum, ['true', 'false']);
    assert.equal(param('cursor').required, false);
    const item = list.responses['200'].content['application/json'].schema.properties.data.items;
    assert.deepEqual(Object.keys(item.properties).sort(), ['active', 'created_at', 'email', 'id', 'last_login_at', 'locale', 'name', 'role', 'two_factor_enabled', 'updated_at']);
    const create = doc.paths['/users'].post;
    assert.ok(create.responses['201']);
    assert.deepEqual([...create.requestBody.content['application/json'].schema.required].sort(), ['email', 'name', 'password', 'role']);
    assert.ok(create.parameters.some((p: Json) => p.in === 'header' && p.name === 'Idempotency-Key'));
  });

  it('lists exactly the routes the registry declares and the router serves', () => {
    const documented = operations(doc).map(({ method, path }) => `${method} /api/v1${path}`).sort();
    const declared = buildRegistry(app.deps).routes.map((d) => `${d.method} /api/v1${d.path}`).sort();
    assert.deepEqual(documented, declared);
    assert.deepEqual(servedRoutes(apiRouter(app.deps)), documented);
  });

  it('every documented operation is reachable (never a 404 unknown route or 405)', async () => {
    const c = app.client();
    const ownerId = Number((await app.deps.db('users').where({ role: 'owner' }).first()).id);
    for (const { method, path } of operations(doc)) {
      const url = `/api/v1${path.replace(/\{\w+\}/g, String(ownerId))}`;
      const r = method === 'get' ? await c.get(url, bearer(secret)) : await c.json(method.toUpperCase(), url, {}, bearer(secret));
      assert.ok(r.status !== 405, `${method} ${path}: 405`);
      const body = /json/.test(r.headers.get('content-type') ?? '') ? r.json<Json>() : {}; // downloads stream files
      assert.ok(!(r.status === 404 && /no API route/i.test(body.error?.message ?? '')), `${method} ${path}: unknown route`);
      assert.ok(r.status < 500, `${method} ${path}: ${r.status}`);
    }
    const control = await c.get('/api/v1/not-documented', bearer(secret));
    assert.equal(control.status, 404, 'the check can tell an unknown route');
    assert.match(control.json<Json>().error.message, /no API route/i);
  });

  it('real responses carry exactly the documented properties', async () => {
    const c = app.client();
    const schema = doc.paths['/me'].get.responses['200'].content['application/json'].schema;
    const me = (await c.get('/api/v1/me', bearer(secret))).json<Json>();
    assert.deepEqual(Object.keys(me).sort(), Object.keys(schema.properties).sort());
    assert.deepEqual(Object.keys(me.key).sort(), Object.keys(schema.properties.key.properties).sort());
    const page = (await c.get('/api/v1/users', bearer(secret))).json<Json>();
    const item = doc.paths['/users'].get.responses['200'].content['application/json'].schema.properties.data.items;
    for (const u of page.data) {
      for (const req of item.required) assert.ok(req in u, `user.${req}`);
      for (const k of Object.keys(u)) assert.ok(k in item.properties, `undocumented user.${k}`);
    }
  });
});
