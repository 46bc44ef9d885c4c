// The environment of product/contracts.md: defaults, one clear error per bad
// variable (naming it, never echoing a secret), config.json under env.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, DEFAULT_API_VERSION, loadConfig } from './config.js';

const dirs: string[] = [];
function dataDir(configJson?: unknown): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'chatflow-config-'));
  dirs.push(d);
  if (configJson !== undefined) fs.writeFileSync(path.join(d, 'config.json'), typeof configJson === 'string' ? configJson : JSON.stringify(configJson));
  return d;
}
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ CHATFLOW_DATA_DIR: dataDir(), ...env });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const dir = dataDir();
    const c = loadConfig({ CHATFLOW_DATA_DIR: dir });
    assert.equal(c.port, 3000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, dir);
    assert.equal(c.client, 'sqlite');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.sqliteFile, path.join(dir, 'chatflow.sqlite'));
    assert.equal(c.publicUrl, 'http://localhost:3000');
    assert.equal(c.secureCookies, false);
    assert.equal(c.graphUrl, 'https://graph.facebook.com');
    assert.equal(c.apiVersion, DEFAULT_API_VERSION);
    assert.match(c.apiVersion, /^v\d+\.0$/);
    assert.equal(c.timezone, 'UTC');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.role, 'all');
    assert.equal(c.trustProxy, false);
    assert.equal(c.bcryptCost, 12, 'full bcrypt cost outside the test suite');
    assert.ok(Object.isFrozen(c));
  });

  it('defaults the data dir to ./data and the public URL to the chosen port', () => {
    assert.equal(loadConfig({ PORT: '8080', CHATFLOW_DATA_DIR: dataDir() }).publicUrl, 'http://localhost:8080');
    assert.equal(path.basename(loadConfig({ CHATFLOW_DATA_DIR: '' }).dataDir), 'data');
  });

  const bad: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://root:hunter2@db/chatflow'],
    ['CHATFLOW_TIMEZONE', 'Mars/Base'],
    ['LOG_LEVEL', 'loud'],
    ['CHATFLOW_PUBLIC_URL', 'notaurl'],
    ['CHATFLOW_ENCRYPTION_KEY', 'short'],
    ['CHATFLOW_WHATSAPP_API_VERSION', '24'],
    ['NODE_ENV', 'staging'],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name}=${value} with a message naming ${name}`, () => {
      const e = configError({ [name]: value });
      assert.match(e.message, new RegExp(`^  ${name}\\b`, 'm'));
      assert.equal(e.message.split('\n').filter((l) => l.startsWith('  ')).length, 1, 'only the bad variable is reported');
    });
  }

  it('never echoes a secret or a URL that may carry a password', () => {
    assert.doesNotMatch(configError({ DATABASE_URL: 'mysql://root:hunter2@db/chatflow' }).message, /hunter2/);
    assert.doesNotMatch(configError({ CHATFLOW_ENCRYPTION_KEY: 'short-secret' }).message, /short-secret/);
    assert.doesNotMatch(configError({ CHATFLOW_SESSION_SECRET: 'tiny-secret' }).message, /tiny-secret/);
    assert.match(configError({ PORT: 'abc' }).message, /"abc"/, 'harmless values are shown');
  });

  it('reports every bad variable at once', () => {
    const e = configError({ PORT: 'abc', LOG_LEVEL: 'loud', CHATFLOW_TIMEZONE: 'Mars/Base' });
    for (const name of ['PORT', 'LOG_LEVEL', 'CHATFLOW_TIMEZONE']) assert.match(e.message, new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('reads config.json from the data dir, and the environment overrides it', () => {
    const dir = dataDir({ PORT: 4000, CHATFLOW_TIMEZONE: 'America/Bogota', LOG_LEVEL: 'debug', HOST: '127.0.0.1' });
    const fromFile = loadConfig({ CHATFLOW_DATA_DIR: dir });
    assert.equal(fromFile.port, 4000);
    assert.equal(fromFile.timezone, 'America/Bogota');
    assert.equal(fromFile.logLevel, 'debug');
    const overridden = loadConfig({ CHATFLOW_DATA_DIR: dir, PORT: '5000', LOG_LEVEL: 'warn' });
    assert.equal(overridden.port, 5000);
    assert.equal(overridden.logLevel, 'warn');
    assert.equal(overridden.timezone, 'America/Bogota');
    assert.equal(overridden.host, '127.0.0.1');
  });

  it('refuses a config.json that is not a JSON object, or holds a bad value, naming the file or variable', () => {
    for (const content of ['{ not json', '[1, 2]']) {
      assert.throws(() => loadConfig({ CHATFLOW_DATA_DIR: dataDir(content) }), (e: unknown) => e instanceof ConfigError && /config\.json/.test(e.message));
    }
    assert.throws(() => loadConfig({ CHATFLOW_DATA_DIR: dataDir({ LOG_LEVEL: 'loud' }) }), (e: unknown) => e instanceof ConfigError && /LOG_LEVEL/.test(e.message));
  });

  it('uses secure cookies when the public URL is https, and trims its trailing slash', () => {
    const c = loadConfig({ CHATFLOW_DATA_DIR: dataDir(), CHATFLOW_PUBLIC_URL: 'https://crm.clinica.mx/' });
    assert.equal(c.publicUrl, 'https://crm.clinica.mx');
    assert.equal(c.secureCookies, true);
    assert.equal(loadConfig({ CHATFLOW_DATA_DIR: dataDir(), CHATFLOW_PUBLIC_URL: 'http://10.0.0.5:3000' }).secureCookies, false);
  });

  it('selects Postgres from DATABASE_URL', () => {
    const c = loadConfig({ CHATFLOW_DATA_DIR: dataDir(), DATABASE_URL: 'postgres://chatflow:pw@db:5432/chatflow' });
    assert.equal(c.client, 'postgres');
    assert.equal(c.databaseUrl, 'postgres://chatflow:pw@db:5432/chatflow');
    assert.equal(loadConfig({ CHATFLOW_DATA_DIR: dataDir(), DATABASE_URL: 'postgresql://db/x' }).client, 'postgres');
  });

  it('parses CHATFLOW_TRUST_PROXY as Express expects it', () => {
    const tp = (v: string) => loadConfig({ CHATFLOW_DATA_DIR: dataDir(), CHATFLOW_TRUST_PROXY: v }).trustProxy;
    assert.equal(tp('true'), true);
    assert.equal(tp('false'), false);
    assert.equal(tp('1'), 1);
    assert.equal(tp('loopback'), 'loopback');
  });

  it('reads X_FILE variables (Docker secrets), trimming the final newline', () => {
    const dir = dataDir();
    const file = path.join(dir, 'database_url');
    fs.writeFileSync(file, 'postgres://chatflow:s3cret@postgres:5432/chatflow\n');
    const c = loadConfig({ CHATFLOW_DATA_DIR: dir, DATABASE_URL_FILE: file });
    assert.equal(c.databaseUrl, 'postgres://chatflow:s3cret@postgres:5432/chatflow');
    assert.equal(c.client, 'postgres');
  });

  it('refuses X together with X_FILE, an unreadable X_FILE, and a bad value read from a file', () => {
    const dir = dataDir();
    const both = configError({ DATABASE_URL: 'postgres://a/b', DATABASE_URL_FILE: path.join(dir, 'x') });
    assert.match(both.message, /DATABASE_URL_FILE: set DATABASE_URL or DATABASE_URL_FILE, not both/);
    assert.match(configError({ CHATFLOW_ENCRYPTION_KEY_FILE: path.join(dir, 'missing') }).message, /CHATFLOW_ENCRYPTION_KEY_FILE: cannot read .*missing \(ENOENT\)/);
    const bad = path.join(dir, 'key');
    fs.writeFileSync(bad, 'short-secret');
    const e = configError({ CHATFLOW_ENCRYPTION_KEY_FILE: bad });
    assert.match(e.message, /^  CHATFLOW_ENCRYPTION_KEY\b/m);
    assert.doesNotMatch(e.message, /short-secret/);
  });

  it('lets an X_FILE in the environment override X from config.json', () => {
    const dir = dataDir({ LOG_LEVEL: 'debug' });
    const file = path.join(dir, 'level');
    fs.writeFileSync(file, 'error');
    assert.equal(loadConfig({ CHATFLOW_DATA_DIR: dir, LOG_LEVEL_FILE: file }).logLevel, 'error');
  });

  it('accepts a valid 32-byte base64 encryption key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({ CHATFLOW_DATA_DIR: dataDir(), CHATFLOW_ENCRYPTION_KEY: key }).encryptionKey, key);
  });
});
