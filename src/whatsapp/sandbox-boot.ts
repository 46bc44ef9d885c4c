// The built-in sandbox: with CHATFLOW_SANDBOX=on the web process starts the
// Graph API emulator on 127.0.0.1 (a free port) and keeps exactly one sandbox
// number pointing at it, with its own random token and app secret. The app
// talks to it through the same CloudApiClient as to Meta; the simulated
// customer posts signed webhooks to the app's own /webhooks/whatsapp.
import crypto from 'node:crypto';
import type { Deps } from '../deps.js';
import { decrypt, encrypt } from '../secrets/secrets.js';
import { sandboxNumber, type WaNumber } from './numbers-queries.js';
import { newVerifyToken, subscribeWebhooks } from './numbers-service.js';
import { createSandboxServer, SANDBOX_DEFAULTS, type Sandbox, type SandboxOptions } from './sandbox/index.js';
import { SAMPLE_TEMPLATES } from './sandbox-samples.js';
import { syncTemplates } from './templates-sync.js';
import { invalidateWebhookSecrets } from './webhook-routes.js';

export type RunningSandbox = { sandbox: Sandbox; number: WaNumber; close(): Promise<void> };

const running = new WeakMap<Deps, RunningSandbox>();

/** The sandbox running in this process, if any (the sandbox phone page needs it). */
export function sandboxFor(deps: Deps): RunningSandbox | undefined {
  return running.get(deps);
}

/** The one sandbox number row (created once, reused on every boot) and its decrypted secrets. */
export async function ensureSandboxNumber(deps: Deps): Promise<{ id: number; token: string; appSecret: string }> {
  const key = deps.secrets.encryptionKey;
  const now = deps.clock.now();
  if (!(await sandboxNumber(deps.db))) {
    const token = `sbx_${crypto.randomBytes(24).toString('base64url')}`;
    const appSecret = crypto.randomBytes(24).toString('hex');
    await deps.db('wa_numbers').insert({
      label: 'Sandbox', phone_number_id: SANDBOX_DEFAULTS.phoneNumberId, waba_id: SANDBOX_DEFAULTS.wabaId,
      display_phone: `+${SANDBOX_DEFAULTS.displayPhoneNumber}`, verified_name: SANDBOX_DEFAULTS.verifiedName,
      access_token_enc: encrypt(key, token), app_secret_enc: encrypt(key, appSecret), token_last4: token.slice(-4), secret_last4: appSecret.slice(-4),
      verify_token: newVerifyToken(), meta_app_id: SANDBOX_DEFAULTS.appId, is_sandbox: true, status: 'active', created_at: now, updated_at: now,
    }).onConflict('phone_number_id').ignore();
  }
  const row = await deps.db('wa_numbers').where({ is_sandbox: true }).orderBy('id').first();
  return { id: Number(row.id), token: decrypt(key, row.access_token_enc), appSecret: decrypt(key, row.app_secret_enc) };
}

/** The emulator keeps state in memory: reopen the windows customers opened before a restart. */
async function restoreWindows(deps: Deps, sandbox: Sandbox, numberId: number, phoneNumberId: string): Promise<void> {
  const since = deps.clock.now() - 24 * 3600_000;
  const rows = await deps.db('conversations').join('contacts', 'contacts.id', 'conversations.contact_id')
    .where('conversations.number_id', numberId).where('conversations.last_inbound_at', '>', since).whereNotNull('contacts.wa_id')
    .select('contacts.wa_id as wa_id', 'conversations.last_inbound_at as at');
  for (const r of rows) sandbox.state.openWindow(phoneNumberId, String(r.wa_id), Number(r.at));
}

export type StartSandboxOptions = {
  /** Where the simulated customer posts (the app's own /webhooks/whatsapp). */
  webhookUrl: string;
  /** Extra emulator options (tests: error rules, status modes). */
  sandbox?: Partial<SandboxOptions>;
  /** Load the sample templates and sync the library (default true). */
  samples?: boolean;
};

export async function startSandbox(deps: Deps, opts: StartSandboxOptions): Promise<RunningSandbox> {
  const { id, token, appSecret } = await ensureSandboxNumber(deps);
  const row = (await deps.db('wa_numbers').where({ id }).first())!;
  const sandbox = await createSandboxServer({
    appSecret, tokens: [token], webhookUrl: opts.webhookUrl, clock: deps.clock, host: '127.0.0.1', port: 0,
    numbers: [{ phoneNumberId: String(row.phone_number_id), wabaId: String(row.waba_id), displayPhoneNumber: String(row.display_phone).replace(/\D/g, ''), verifiedName: SANDBOX_DEFAULTS.verifiedName }],
    ...opts.sandbox,
  });
  await deps.db('wa_numbers').where({ id }).update({ graph_url: sandbox.url, meta_app_id: SANDBOX_DEFAULTS.appId, status: 'active', updated_at: deps.clock.now() });
  await restoreWindows(deps, sandbox, id, String(row.phone_number_id));
  invalidateWebhookSecrets(deps);
  await subscribeWebhooks(deps, id);
  if (opts.samples !== false) {
    for (const t of SAMPLE_TEMPLATES) sandbox.state.addTemplate({ ...t, wabaId: String(row.waba_id) });
    await syncTemplates(deps, { numberId: id });
  }
  const number = (await sandboxNumber(deps.db))!;
  const handle: RunningSandbox = {
    sandbox,
    number,
    async close() {
      running.delete(deps);
      await sandbox.close();
    },
  };
  running.set(deps, handle);
  deps.log.info({ url: sandbox.url, numberId: id }, 'WhatsApp sandbox started');
  return handle;
}
