// Test database per test file: a temp SQLite file, or a fresh Postgres
// database on the server of TEST_DATABASE_URL (dropped afterwards).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

export type Engine = 'sqlite' | 'postgres';

export function testEngine(): Engine {
  const e = process.env.CHATFLOW_TEST_DB ?? 'sqlite';
  if (e !== 'sqlite' && e !== 'postgres') throw new Error(`CHATFLOW_TEST_DB must be sqlite or postgres, got ${e}`);
  if (e === 'postgres' && !process.env.TEST_DATABASE_URL) throw new Error('CHATFLOW_TEST_DB=postgres needs TEST_DATABASE_URL');
  return e;
}

export type TestDatabase = { engine: Engine; dataDir: string; databaseUrl?: string; drop(): Promise<void> };

export async function createTestDatabase(engine: Engine = testEngine()): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatflow-test-'));
  if (engine === 'sqlite') {
    return { engine, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `cf_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine,
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      const a = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await a.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await a.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
