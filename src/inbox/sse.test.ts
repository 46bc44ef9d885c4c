// Live updates: a signed-in browser's /inbox/events stream receives a
// message.received notice when a customer writes (sandbox → webhook → worker
// → event bus → stream); strangers are sent to the login page; the stream
// keeps itself alive and cleans up.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Request, Response } from 'express';
import { completeSetup, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { closeGraphClients } from '../whatsapp/graph-clients.js';
import { createSandboxServer, type Sandbox } from '../whatsapp/sandbox/index.js';
import { drainEvents } from '../whatsapp/webhook-worker.js';
import { InboxStream } from './sse.js';
import { seedNumber } from './test-seed.js';

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/** Reads the stream until `pattern` shows up (or fails after `ms`). */
async function readUntil(reader: Reader, pattern: RegExp, ms = 5000): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (!pattern.test(text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(text)}`);
    const chunk = await Promise.race([reader.read(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(text)}`)), left))]);
    if (chunk.done) throw new Error(`stream ended before ${pattern}`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

describe('inbox live updates (SSE)', () => {
  let app: TestApp;
  let sandbox: Sandbox;
  let client: HttpClient;

  before(async () => {
    app = await startTestApp();
    sandbox = await createSandboxServer({ webhookUrl: `${app.url}/webhooks/whatsapp`, statusWebhooks: 'off' });
    client = app.client();
    await completeSetup(client);
    await seedNumber(app.deps, { graphUrl: sandbox.url });
  });
  after(async () => {
    await sandbox?.close();
    await closeGraphClients();
    await app?.close();
  });

  it('sends strangers to the login page', async () => {
    const res = await fetch(`${app.url}/inbox/events`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/login');
    await res.body?.cancel();
  });

  it('delivers message.received to a connected browser when a customer writes', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${app.url}/inbox/events`, { headers: { cookie: `chatflow.sid=${client.cookie('chatflow.sid')}` }, signal: ctrl.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const reader = res.body!.getReader();
    await readUntil(reader, /: connected/);
    await sandbox.simulateInbound({ from: '5215512340000', type: 'text', text: 'Hola, ¿tienen cita mañana?', profileName: 'Marta' });
    await sandbox.idle();
    await drainEvents(app.deps);
    const text = await readUntil(reader, /event: message\.received\ndata: (\{[^\n]+\})\n\n/);
    const data = JSON.parse(/event: message\.received\ndata: (\{[^\n]+\})/.exec(text)![1]!);
    const message = await app.deps.db('messages').where({ id: data.messageId }).first();
    assert.equal(message.body, 'Hola, ¿tienen cita mañana?');
    assert.equal(Number(message.conversation_id), data.conversationId);
    assert.match(text, /event: conversation\.updated/);
    // What the page fetches next: the list fragment shows the new conversation as unread.
    const list = await client.get('/inbox/list');
    assert.match(list.text, /Marta[\s\S]*1 sin leer/);
    ctrl.abort();
  });
});

/** A Response stand-in that records what the stream writes. */
function fakeRes() {
  const res = Object.assign(new EventEmitter(), {
    written: [] as string[], destroyed: false, writableEnded: false, headers: {} as Record<string, string>,
    status() { return res; },
    set(h: Record<string, string>) { Object.assign(res.headers, h); return res; },
    flushHeaders() {},
    write(chunk: string) { res.written.push(chunk); return true; },
    end() { res.writableEnded = true; },
  });
  return res;
}

describe('InboxStream', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.close());

  it('relays bus events, pings, drops users who lost access and cleans up on disconnect', async () => {
    const stream = new InboxStream(app.deps, 60_000);
    const agent = await makeUser(app.deps, 'agent');
    const req = Object.assign(new EventEmitter(), { user: agent }) as unknown as Request;
    const res = fakeRes();
    stream.add(req, res as unknown as Response);
    assert.equal(stream.size, 1);
    assert.equal(res.headers['X-Accel-Buffering'], 'no');
    app.deps.events.emit('message.status', { messageId: 7, conversationId: 3, status: 'read' });
    assert.ok(res.written.includes('event: message.status\ndata: {"messageId":7,"conversationId":3,"status":"read"}\n\n'));
    app.deps.events.emit('user.updated', { userId: agent.id }); // not an inbox event: not relayed
    assert.equal(res.written.filter((w) => w.includes('user.updated')).length, 0);
    await stream.heartbeat();
    assert.equal(res.written.at(-1), ': ping\n\n');
    await app.deps.db('users').where({ id: agent.id }).update({ active: false });
    await stream.heartbeat();
    assert.equal(stream.size, 0);
    assert.equal(res.writableEnded, true);

    const other = fakeRes();
    const req2 = Object.assign(new EventEmitter(), { user: await makeUser(app.deps, 'viewer') }) as unknown as Request;
    stream.add(req2, other as unknown as Response);
    assert.equal(stream.size, 1);
    (req2 as unknown as EventEmitter).emit('close');
    assert.equal(stream.size, 0);
    stream.close();
  });
});
