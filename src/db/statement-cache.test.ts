// SQLite keeps prepared statements per connection (knex.ts): the same SQL
// with other bindings, after a schema change, inside a transaction and past
// the cache's size still gives the right rows. SQLite only (Postgres has no
// such cache); runs on both test passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from './knex.js';

let dir: string;
let db: Knex;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-stmt-'));
  db = createDb({ client: 'sqlite', sqliteFile: path.join(dir, 'db.sqlite') });
  await db.schema.createTable('t', (t) => {
    t.increments('id');
    t.string('name');
  });
  await db('t').insert([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
});
after(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cached SQLite statements', () => {
  it('prepares a statement once per connection', async () => {
    const conn = (await db.client.acquireConnection()) as { prepare(sql: string): unknown };
    try {
      const sql = 'select name from t where id = ?';
      assert.equal(conn.prepare(sql), conn.prepare(sql));
      assert.notEqual(conn.prepare(sql), conn.prepare('select id from t where id = ?'));
    } finally {
      await db.client.releaseConnection(conn);
    }
  });

  it('gives the rows of each call\'s bindings', async () => {
    for (const name of ['a', 'b', 'c', 'a']) {
      assert.deepEqual(await db('t').where({ name }).pluck('name'), [name]);
    }
  });

  it('sees a column added after the statement was first prepared', async () => {
    const first = await db('t').where({ id: 1 }).select('*');
    assert.deepEqual(Object.keys(first[0]), ['id', 'name']);
    await db.schema.alterTable('t', (t) => t.string('extra').defaultTo('x'));
    const again = await db('t').where({ id: 1 }).select('*');
    assert.deepEqual(again, [{ id: 1, name: 'a', extra: 'x' }]);
  });

  it('reads a transaction\'s own writes and drops them on rollback', async () => {
    await assert.rejects(db.transaction(async (trx) => {
      await trx('t').insert({ name: 'd' });
      assert.deepEqual(await trx('t').where({ name: 'd' }).pluck('name'), ['d']);
      throw new Error('rollback');
    }), /rollback/);
    assert.deepEqual(await db('t').where({ name: 'd' }).pluck('name'), []);
  });

  it('stays right past the cache size (evicted statements are prepared again)', async () => {
    for (let i = 0; i < 400; i++) { // 400 SQL texts (one per list length): more than the cache holds
      const ids = Array.from({ length: i + 1 }, (_, k) => k + 1);
      const rows = await db('t').whereIn('id', ids).count({ c: '*' }).first();
      assert.equal(Number(rows!.c), Math.min(i + 1, 3));
    }
    assert.deepEqual(await db('t').whereIn('id', [2]).pluck('name'), ['b']);
  });
});
