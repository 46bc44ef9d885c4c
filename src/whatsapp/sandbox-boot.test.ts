// `chatflow start` with CHATFLOW_SANDBOX=on (the default): the emulator runs
// in-process, one sandbox number points at it, and the whole loop works with
// the background worker. Restarting keeps exactly one sandbox number.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { loadConfig } from '../config.js';
import { start, type Running } from '../main.js';
import { sandboxFor } from './sandbox-boot.js';
import { sendText } from './send-service.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => db.drop());

function config() {
  return loadConfig({
    NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', CHATFLOW_DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
  });
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('starts the sandbox, keeps one sandbox number across restarts, and the worker processes its webhooks', async () => {
  const urls: string[] = [];
  for (let boot = 0; boot < 2; boot++) {
    const running: Running = await start(config());
    try {
      const rows = await running.deps.db('wa_numbers').where({ is_sandbox: true });
      assert.equal(rows.length, 1);
      urls.push(rows[0].graph_url);
      const sb = sandboxFor(running.deps);
      assert.ok(sb, 'sandbox registered');
      assert.equal(rows[0].graph_url, sb.sandbox.url);
      if (boot === 1) {
        // The window the customer opened before the restart is still open at the emulator.
        const conv = await running.deps.db('conversations').first();
        const reply = await sendText(running.deps, { conversationId: Number(conv.id), text: 'Seguimos aquí', userId: null });
        assert.equal(reply.status, 'sent');
      }
      const sent = await sb.sandbox.simulateInbound({ from: '5215530303030', type: 'text', text: `arranque ${boot}`, profileName: 'Boot' });
      assert.equal(sent.delivery?.status, 200);
      const msg = await waitFor(() => running.deps.db('messages').where({ wamid: sent.wamid }).first(), 'the worker');
      assert.equal(msg.body, `arranque ${boot}`);
      assert.ok((await running.deps.db('templates').where({ name: 'bienvenida' }).first()), 'sample templates synced');
    } finally {
      await running.stop();
    }
  }
  assert.notEqual(urls[0], urls[1], 'a fresh port each boot');
});
