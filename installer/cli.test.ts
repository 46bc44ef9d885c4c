// The `chatflow` CLI as an admin runs it: a real process per command against
// a temp data dir (and a fresh Postgres database on that engine). Each spawn
// costs about a second, so the cases are few and share one install.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging/logger.js';
import { createApp } from '../src/web/app.js';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { HttpClient } from '../test/http.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'chatflow.mjs');
const OWNER = { email: 'dueno@clinica.mx', password: 'Sonrisa-2026-ok' };

type Run = { code: number; stdout: string; stderr: string };

/** The parent's environment minus anything ChatFlow reads, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CHATFLOW_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(k)));
  return { ...base, NODE_ENV: 'test', ...env };
}

function chatflow(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env), timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('chatflow CLI', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    tdb = await createTestDatabase();
    env = { CHATFLOW_DATA_DIR: tdb.dataDir, LOG_LEVEL: 'warn', ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) };
  });
  after(() => tdb?.drop());

  it('--help lists the commands, and a bad environment is refused naming the variable', async () => {
    const [help, badEnv] = await Promise.all([chatflow(['--help'], env), chatflow(['migrate'], { ...env, PORT: 'abc' })]);
    assert.equal(help.code, 0, help.stderr);
    for (const cmd of ['start', 'migrate', 'user']) assert.match(help.stdout, new RegExp(`^\\s+${cmd}\\b`, 'm'));
    assert.notEqual(badEnv.code, 0);
    assert.match(badEnv.stderr, /^chatflow: .*\bPORT\b.*abc/);
    assert.equal(badEnv.stderr.trim().split('\n').length, 1, `one line: ${badEnv.stderr}`);
  });

  it('creates the owner (migrating a fresh database) and lists it', async () => {
    const created = await chatflow(['user', 'create', '--email', OWNER.email, '--password', OWNER.password, '--role', 'owner', '--name', 'Dueño'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`Created owner ${OWNER.email}`));
    const list = await chatflow(['user', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`owner\\s+active\\s+.*${OWNER.email}\\s+\\(Dueño\\)`));
  });

  it('migrate says the database is up to date', async () => {
    const r = await chatflow(['migrate'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Database is up to date\./);
  });

  it('reset-password prints a temporary password that signs in and must then be changed', async () => {
    const r = await chatflow(['user', 'reset-password', '--email', OWNER.email], env);
    assert.equal(r.code, 0, r.stderr);
    const temp = new RegExp(`New temporary password for ${OWNER.email}: (\\S+)`).exec(r.stdout)?.[1];
    assert.ok(temp, r.stdout);

    const deps = await boot(loadConfig({ NODE_ENV: 'test', ...env }), { log: createLogger('silent') });
    const server = http.createServer(createApp(deps).app);
    try {
      const row = await deps.db('users').where({ email: OWNER.email }).first();
      assert.equal(Boolean(row.must_change_password), true);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const client = new HttpClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
      assert.equal((await client.post('/login', { email: OWNER.email, password: OWNER.password }, { csrfFrom: '/login' })).status, 401, 'the old password is gone');
      const login = await client.post('/login', { email: OWNER.email, password: temp }, { csrfFrom: '/login' });
      assert.equal(login.status, 302, login.text.slice(0, 300));
      const home = await client.get('/');
      assert.equal(home.status, 302);
      assert.equal(home.location, '/account/password');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.db.destroy();
    }
  });

  it('fails with a one-line reason and a non-zero exit for an unknown user', async () => {
    const r = await chatflow(['user', 'reset-password', '--email', 'nadie@clinica.mx'], env);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), 'chatflow: no user with e-mail nadie@clinica.mx');
    assert.equal(r.stdout, '');
  });
});
