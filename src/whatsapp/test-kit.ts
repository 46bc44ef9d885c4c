// Test helpers for the channel (not a test file): an app with its own sandbox
// on port 0, the sandbox number pointing at it, a signed-in owner, and
// shortcuts to post signed webhooks and run the worker.
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { closeGraphClients } from './graph-clients.js';
import { numberSecrets, sandboxNumber, type WaNumber } from './numbers-queries.js';
import { startSandbox, type RunningSandbox } from './sandbox-boot.js';
import type { SandboxOptions } from './sandbox/index.js';
import { signedMetaBody } from './signature.js';
import { drainEvents } from './webhook-worker.js';

export type ChannelTest = {
  app: TestApp;
  sb: RunningSandbox;
  number: WaNumber;
  owner: HttpClient;
  /** Posts a JSON value signed like Meta (escaped form) to /webhooks/whatsapp. */
  postWebhook(value: unknown, secret?: string): Promise<{ status: number; text: string }>;
  /** Runs the worker until no event is due. */
  work(): Promise<void>;
  /** Waits for the sandbox's webhooks, then runs the worker. */
  settle(): Promise<void>;
  appSecret: string;
  close(): Promise<void>;
};

export async function startChannelTest(opts: { sandbox?: Partial<SandboxOptions>; samples?: boolean; env?: Record<string, string> } = {}): Promise<ChannelTest> {
  const app = await startTestApp({ env: opts.env });
  const owner = app.client();
  await completeSetup(owner); // leaves the owner signed in
  const sb = await startSandbox(app.deps, { webhookUrl: `${app.url}/webhooks/whatsapp`, sandbox: opts.sandbox, samples: opts.samples });
  const number = (await sandboxNumber(app.deps.db))!;
  const { appSecret } = await numberSecrets(app.deps, number.id);
  const work = async () => void (await drainEvents(app.deps));
  return {
    app, sb, number, owner, appSecret, work,
    async postWebhook(value, secret = appSecret) {
      const { body, signature } = signedMetaBody(value, secret);
      const r = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } });
      return { status: r.status, text: await r.text() };
    },
    async settle() {
      await sb.sandbox.idle();
      await work();
    },
    async close() {
      await sb.close();
      await closeGraphClients();
      await app.close();
    },
  };
}

/** A Meta-shaped `messages` webhook for the sandbox number. */
export function messagesWebhook(n: Pick<WaNumber, 'wabaId' | 'phoneNumberId' | 'displayPhone'>, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: n.wabaId,
      changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: n.displayPhone.replace(/\D/g, ''), phone_number_id: n.phoneNumberId }, ...value } }],
    }],
  };
}

export function inboundWebhook(n: Pick<WaNumber, 'wabaId' | 'phoneNumberId' | 'displayPhone'>, from: string, name: string, message: Record<string, unknown>, at: number): Record<string, unknown> {
  return messagesWebhook(n, {
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, timestamp: String(Math.floor(at / 1000)), ...message }],
  });
}

/**
 * A channel test in which `from` has written first (an open window) and the
 * worker has stored it: the conversation id, and the owner's CSRF token for
 * its inbox page. `statusWebhooks: 'off'` leaves statuses to the test.
 */
export async function startConversationTest(o: { from: string; text: string; profileName: string; statusWebhooks?: 'off'; csrf?: boolean }): Promise<{ t: ChannelTest; conv: number; csrf: string }> {
  const t = await startChannelTest(o.statusWebhooks ? { samples: false, sandbox: { statusWebhooks: o.statusWebhooks } } : {});
  await t.sb.sandbox.simulateInbound({ from: o.from, type: 'text', text: o.text, profileName: o.profileName, phoneNumberId: t.number.phoneNumberId });
  await t.settle();
  const conv = Number((await t.app.deps.db('conversations').first('id')).id);
  return { t, conv, csrf: o.csrf === false ? '' : await t.owner.csrf(`/inbox/${conv}`) };
}

/** Shortcuts of the status tests: a status object for `customer`, posting a batch of them, a message row, now in seconds. */
export function statusHelpers(test: () => ChannelTest, customer: string) {
  return {
    status: (wamid: string, s: string, ts: number, extra: Record<string, unknown> = {}) =>
      ({ id: wamid, status: s, timestamp: String(ts), recipient_id: customer, ...extra }),
    post: (statuses: unknown[]) => test().postWebhook(messagesWebhook(test().number, { statuses })),
    row: async (id: number) => test().app.deps.db('messages').where({ id }).first(),
    sec: () => Math.floor(test().app.clock.now() / 1000),
  };
}
