import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CloudApiClient } from './cloud-api.js';
import { MetaApiError } from './errors.js';
import { templateMessage } from './messages.js';
import { createSandboxServer, SANDBOX_DEFAULTS as D, type Sandbox } from './sandbox/index.js';

let sandbox: Sandbox;
let client: CloudApiClient;

before(async () => {
  sandbox = await createSandboxServer();
  client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
  for (let i = 0; i < 23; i++) {
    sandbox.state.addTemplate({
      name: `tpl_${String(i).padStart(2, '0')}`,
      language: i % 2 ? 'es' : 'en_US',
      category: i % 3 ? 'UTILITY' : 'MARKETING',
      status: i % 5 === 4 ? 'REJECTED' : 'APPROVED',
      components: [{ type: 'BODY', text: `Body ${i} {{1}}` }],
    });
  }
});

after(async () => {
  await client.close();
  await sandbox.close();
});

describe('template sync', () => {
  it('pages through every template following paging.next', async () => {
    const before = sandbox.state.requests.templates_list ?? 0;
    const all = await client.listAllTemplates(D.wabaId, D.token, { limit: 5 });
    assert.equal((sandbox.state.requests.templates_list ?? 0) - before, 5, 'five pages of five');
    assert.equal(all.length, 23);
    assert.deepEqual(all.map((t) => t.name), Array.from({ length: 23 }, (_, i) => `tpl_${String(i).padStart(2, '0')}`));
    assert.equal(new Set(all.map((t) => t.id)).size, 23);
    const t4 = all[4]!;
    assert.equal(t4.status, 'REJECTED');
    assert.equal(t4.category, 'UTILITY');
    assert.equal(t4.language, 'en_US');
    assert.equal(t4.parameterFormat, 'POSITIONAL');
    assert.deepEqual(t4.components, [{ type: 'BODY', text: 'Body 4 {{1}}' }]);
  });

  it('exposes single pages with cursors, and the last page has no next', async () => {
    const p1 = await client.listTemplates(D.wabaId, D.token, { limit: 10 });
    assert.equal(p1.templates.length, 10);
    assert.ok(p1.after && p1.next);
    const p2 = await client.listTemplates(D.wabaId, D.token, { limit: 10, after: p1.after });
    assert.equal(p2.templates[0]!.name, 'tpl_10');
    const p3 = await client.listTemplates(D.wabaId, D.token, { limit: 10, after: p2.after });
    assert.equal(p3.templates.length, 3);
    assert.equal(p3.next, undefined);
    assert.equal(p3.after, undefined);
  });

  it('filters by status', async () => {
    const rejected = await client.listAllTemplates(D.wabaId, D.token, { status: 'REJECTED', limit: 2 });
    assert.deepEqual(rejected.map((t) => t.name), ['tpl_04', 'tpl_09', 'tpl_14', 'tpl_19']);
  });

  it('never sends the token to a foreign paging.next; falls back to the cursor', async () => {
    // A fake Graph whose `next` points elsewhere: the client must use `after` on its own origin.
    const seen: Array<{ url: string; auth: string | undefined }> = [];
    const fake = createServer((req: IncomingMessage, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
      const body = after
        ? { data: [{ id: '2', name: 'second', language: 'es', status: 'APPROVED', category: 'UTILITY' }], paging: { cursors: { before: 'b', after: 'c2' } } }
        : { data: [{ id: '1', name: 'first', language: 'es', status: 'APPROVED', category: 'UTILITY' }], paging: { cursors: { after: 'c1' }, next: 'http://127.0.0.1:9/steal' } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const c = new CloudApiClient({ graphUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, apiVersion: 'v24.0' });
    try {
      const all = await c.listAllTemplates('waba', 'tok');
      assert.deepEqual(all.map((t) => t.name), ['first', 'second']);
      assert.equal(seen.length, 2);
      assert.match(seen[1]!.url, /^\/v24\.0\/waba\/message_templates\?.*after=c1/);
      assert.ok(seen.every((s) => s.auth === 'Bearer tok'));
    } finally {
      await c.close();
      await new Promise<void>((r) => fake.close(() => r()));
    }
  });
});

describe('template management', () => {
  it('creates PENDING, approval makes it sendable, duplicate → 100/2388024, delete', async () => {
    const def = {
      name: 'shipping_update',
      language: 'pt_BR',
      category: 'UTILITY' as const,
      components: [{ type: 'BODY' as const, text: 'Seu pedido {{1}} foi enviado', example: { body_text: [['A-1']] } }],
    };
    const created = await client.createTemplate(D.wabaId, D.token, def);
    assert.equal(created.status, 'PENDING');
    assert.equal(created.category, 'UTILITY');
    assert.match(created.id, /^\d+$/);

    await sandbox.simulateInbound({ from: '5511900000000', type: 'text', text: 'oi' });
    const send = () => client.sendMessage(D.phoneNumberId, D.token, templateMessage('+5511900000000', { name: 'shipping_update', language: 'pt_BR', body: ['A-1'] }));
    await assert.rejects(send(), (e: unknown) => e instanceof MetaApiError && e.code === 132001);
    assert.equal(sandbox.state.approveTemplate('shipping_update').length, 1);
    assert.match((await send()).wamid, /^wamid\./);

    await assert.rejects(client.createTemplate(D.wabaId, D.token, def), (e: unknown) => {
      assert.ok(e instanceof MetaApiError);
      assert.equal(e.code, 100);
      assert.equal(e.subcode, 2388024);
      assert.equal(e.action, 'fix_request');
      return true;
    });
    await assert.rejects(client.createTemplate(D.wabaId, D.token, { ...def, name: 'Bad Name' }), (e: unknown) => e instanceof MetaApiError && e.code === 100);

    assert.equal(await client.deleteTemplate(D.wabaId, D.token, { name: 'shipping_update', hsmId: created.id }), true);
    await assert.rejects(send(), (e: unknown) => e instanceof MetaApiError && e.code === 132001);
    await assert.rejects(client.deleteTemplate(D.wabaId, D.token, { name: 'shipping_update' }), (e: unknown) => e instanceof MetaApiError && e.code === 100);
  });

  it('reads NAMED parameter format back', async () => {
    await client.createTemplate(D.wabaId, D.token, {
      name: 'named_hello',
      language: 'en_US',
      category: 'MARKETING',
      parameterFormat: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, welcome!', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] } }],
    });
    const [t] = await client.listAllTemplates(D.wabaId, D.token, { name: 'named_hello' });
    assert.equal(t?.parameterFormat, 'NAMED');
    assert.equal(t?.status, 'PENDING');
  });
});
