// The single error exit: branded pages in the user's language, the right
// status for each kind of failure, never a stack trace, and a strict CSP.
import assert from 'node:assert/strict';
import http from 'node:http';
import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { after, before, describe, it } from 'node:test';
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { Deps } from '../deps.js';
import { Conflict, Forbidden, Invalid, LicenseRequired, NotFound } from '../errors.js';
import { createLogger } from '../logging/logger.js';
import { VIEWS_DIR } from './app.js';
import { requestContext } from './context.js';
import { errorHandler, notFound } from './errors.js';
import { pageHelpers } from './page.js';

const REF = 'ref-0123456789';
const SECRET = 'db-password-hunter2';
const STACKISH = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error: /;

/** An app with the real request context, page helpers and error handler around routes that throw. */
function throwingApp(deps: Deps, logs: string[]): Express {
  const log = createLogger('error', new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', [VIEWS_DIR]);
  app.use(pinoHttp({ logger: log, genReqId: () => REF, autoLogging: false }));
  app.use(requestContext(deps, () => ''));
  app.use(pageHelpers);
  app.get('/boom', () => {
    throw new Error(`connection to ${SECRET} failed`);
  });
  app.get('/async-boom', async () => {
    await Promise.resolve();
    throw new TypeError(`cannot read ${SECRET}`);
  });
  app.get('/api/v1/boom', () => {
    throw new Error(SECRET);
  });
  const domain: Record<string, () => Error> = {
    'not-found': () => new NotFound(),
    forbidden: () => new Forbidden(),
    conflict: () => new Conflict('errors.invalid'),
    license: () => new LicenseRequired('errors.license_required'),
    invalid: () => new Invalid({ email: { code: 'validation.email' } }),
  };
  app.get('/domain/:kind', (req) => {
    throw domain[String(req.params.kind)]!();
  });
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}

async function serve(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('error pages of the running app', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await completeSetup(app.client());
  });
  after(() => app.close());

  it('renders an unknown page as a branded 404 in Spanish, with no stack', async () => {
    const r = await app.client().get('/no/such/page');
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    assert.match(r.text, /<title>[^<]*ChatFlow<\/title>/);
    assert.match(r.text, /class="auth-brand-name">ChatFlow</);
    assert.match(r.text, /Página no encontrada/);
    assert.match(r.text, /\/brand\/theme\.css/, 'the brand theme is applied');
    assert.doesNotMatch(r.text, STACKISH);
  });

  it('answers 404 in English when the browser asks for English', async () => {
    const r = await app.client().get('/no/such/page', { 'accept-language': 'en-US,en;q=0.9' });
    assert.equal(r.status, 404);
    assert.match(r.text, /Page not found/);
  });

  it('refuses an oversized form body with a 413 page', async () => {
    const c = app.client();
    const body = `email=a%40b.c&password=${'x'.repeat(150_000)}`;
    const r = await c.request('POST', '/login', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 413);
    assert.match(r.text, /Lo que enviaste es demasiado grande/);
    assert.match(r.text, /ChatFlow/);
    assert.doesNotMatch(r.text, STACKISH);
  });

  it('answers malformed JSON with a 400 page', async () => {
    const r = await app.client().request('POST', '/login', { body: '{"email": ', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.match(r.text, /No se pudo entender la solicitud/);
    assert.doesNotMatch(r.text, STACKISH);
  });

  it('sends a strict Content-Security-Policy and hides the framework', async () => {
    const r = await app.client().get('/login');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-powered-by'), null);
    assert.match(r.headers.get('x-request-id') ?? '', /^[\w-]{8,}$/);
  });

  it('puts no inline script or style attribute in its pages', async () => {
    const c = app.client();
    for (const p of ['/login', '/no/such/page']) {
      const html = (await c.get(p)).text;
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${p}: inline <script>`);
      assert.doesNotMatch(html, /\sstyle="/, `${p}: style attribute`);
      assert.doesNotMatch(html, /\son[a-z]+="/, `${p}: inline event handler`);
    }
  });
});

describe('the error handler', () => {
  let app: TestApp;
  let server: Awaited<ReturnType<typeof serve>>;
  const logs: string[] = [];
  before(async () => {
    app = await startTestApp();
    server = await serve(throwingApp(app.deps, logs));
  });
  after(async () => {
    await server.close();
    await app.close();
  });

  for (const route of ['/boom', '/async-boom']) {
    it(`turns an unexpected error (${route}) into a plain 500 page with a reference id, logging the details`, async () => {
      logs.length = 0;
      const r = await fetch(server.url + route);
      const html = await r.text();
      assert.equal(r.status, 500);
      assert.match(html, /Error inesperado/);
      assert.match(html, new RegExp(`Referencia: ${REF}`));
      assert.match(html, /ChatFlow/);
      assert.doesNotMatch(html, new RegExp(SECRET));
      assert.doesNotMatch(html, STACKISH);
      const logged = logs.join('');
      assert.match(logged, new RegExp(SECRET), 'the cause goes to the log');
      assert.match(logged, new RegExp(`"reqId":"${REF}"`));
    });
  }

  it('answers an unexpected error under /api with the JSON envelope, no stack', async () => {
    const r = await fetch(`${server.url}/api/v1/boom`);
    assert.equal(r.status, 500);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'internal');
    assert.match(body.error.message, new RegExp(REF));
    assert.doesNotMatch(JSON.stringify(body), new RegExp(`${SECRET}|stack`));
  });

  const statuses: Array<[string, number, RegExp]> = [
    ['not-found', 404, /Página no encontrada/],
    ['forbidden', 403, /Acceso denegado/],
    ['conflict', 409, /Algunos campos no son válidos/],
    ['license', 402, /Tu licencia no incluye esta función/],
    ['invalid', 422, /Algo salió mal/],
  ];
  for (const [kind, status, text] of statuses) {
    it(`maps a ${kind} domain error to ${status}`, async () => {
      const r = await fetch(`${server.url}/domain/${kind}`);
      assert.equal(r.status, status);
      const html = await r.text();
      assert.match(html, text);
      assert.doesNotMatch(html, STACKISH);
    });
  }
});
