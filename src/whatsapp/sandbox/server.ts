// createSandboxServer: a local emulator of the Graph API endpoints ChatFlow
// uses, over real HTTP, plus a simulated customer that sends signed webhooks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedMetaBody } from '../signature.js';
import type { Ctx, Runtime } from './context.js';
import { buildInbound, type InboundSpec } from './customer.js';
import { bearer, sendGraphError, sendJson, sleep } from './http.js';
import { pairBuckets, throughputBuckets } from './limits.js';
import { SANDBOX_DEFAULTS, type SandboxOptions, type SandboxRoute, type StatusWebhookOptions } from './options.js';
import { handleMessages } from './routes-messages.js';
import { handleDownload, handleMediaDelete, handleMediaGet, handleUpload } from './routes-media.js';
import { handleCreate, handleDelete, handleEdit, handleList } from './routes-templates.js';
import { handleUploadData, handleUploadSession, handleUploadStatus, uploadSessionOf } from './routes-uploads.js';
import { SandboxState, type StoredTemplate } from './state.js';
import { StatusReporter } from './statuses.js';
import { WebhookSender, type DeliveryRecord, type StatusTarget } from './webhooks.js';

export interface SimulatedInbound {
  wamid: string;
  payload: Record<string, unknown>;
  /** The exact bytes POSTed (Meta's escaped JSON) and their signature. */
  body: Buffer;
  signature: string;
  /** Absent when no webhookUrl is configured. */
  delivery?: DeliveryRecord;
}

export interface Sandbox {
  /** Base URL to use as the client's graphUrl. */
  url: string;
  state: SandboxState;
  /** The customer writes: POSTs a signed `messages` webhook and opens the 24 h window. */
  simulateInbound(spec: InboundSpec): Promise<SimulatedInbound>;
  /** The customer reads an outbound message: queues a `read` status webhook. */
  markReadByCustomer(wamid: string): boolean;
  /** Queues `delivered` for a message (when statusWebhooks.autoDeliver is false). */
  deliver(wamid: string): boolean;
  /** Resolves once every queued webhook has been delivered (or given up). */
  idle(): Promise<void>;
  webhookStats(): { posted: number; failed: number; retried: number };
  close(): Promise<void>;
}

const PHONE_FIELDS = ['id', 'verified_name', 'display_phone_number', 'quality_rating', 'throughput', 'whatsapp_business_manager_messaging_limit'];

function statusOptions(o: SandboxOptions['statusWebhooks']): StatusWebhookOptions {
  if (o === undefined) return { mode: 'each' };
  return typeof o === 'string' ? { mode: o } : o;
}

function templateWebhook(t: StoredTemplate, nowSec: number): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: t.wabaId,
        time: nowSec,
        changes: [
          {
            field: 'message_template_status_update',
            value: {
              event: t.status,
              message_template_id: Number(t.id),
              message_template_name: t.name,
              message_template_language: t.language,
              reason: t.status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE',
              message_template_category: t.category,
            },
          },
        ],
      },
    ],
  };
}

function buildRuntime(opts: SandboxOptions, appSecret: string): { rt: Runtime; sender: WebhookSender } {
  const state = new SandboxState({
    numbers: opts.numbers,
    appIds: opts.appIds,
    tokens: opts.tokens,
    rules: opts.errorsFor,
    clock: opts.clock,
    logMessages: opts.logMessages,
    logLimitPerRecipient: opts.logLimitPerRecipient,
  });
  const nowSec = () => Math.floor(state.now() / 1000);
  const sender = new WebhookSender({ url: opts.webhookUrl, appSecret, retries: opts.webhookRetries ?? 2, concurrency: opts.webhookConcurrency ?? 16 });
  const reporter = new StatusReporter(sender, (id) => state.numbers.get(id), nowSec, statusOptions(opts.statusWebhooks));
  const pair = opts.pairRateLimit === true ? {} : opts.pairRateLimit || undefined;
  state.onTemplateStatus = (t) => sender.enqueue(async () => void (await sender.post(templateWebhook(t, nowSec()))));
  const rt: Runtime = {
    state,
    reporter,
    throughput: opts.throughputPerSec ? throughputBuckets(opts.throughputPerSec) : undefined,
    pair: pair ? pairBuckets(pair.burst ?? 45, pair.intervalMs ?? 6000) : undefined,
    enforceWindow: opts.enforceWindow ?? true,
    windowErrors: opts.windowErrors ?? 'sync',
    toWaId: opts.toWaId ?? ((to) => (to.startsWith('user.') ? '' : to.replace(/\D/g, ''))),
    baseUrl: '',
  };
  return { rt, sender };
}

export async function createSandboxServer(opts: SandboxOptions = {}): Promise<Sandbox> {
  const appSecret = opts.appSecret ?? SANDBOX_DEFAULTS.appSecret;
  const { rt, sender } = buildRuntime(opts, appSecret);
  const server = createServer((req, res) => {
    route(rt, req, res, opts.latencyMs ?? 0).catch(() => {
      if (!res.headersSent) sendGraphError(res, { code: 1, message: '(#1) An unknown error occurred' }, 500);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  rt.baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return sandboxApi(rt, sender, appSecret, async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  });
}

function sandboxApi(rt: Runtime, sender: WebhookSender, appSecret: string, closeServer: () => Promise<void>): Sandbox {
  const { state, reporter } = rt;
  const targetOf = (wamid: string): StatusTarget | undefined => {
    const e = state.entry(wamid);
    if (!e || e.direction !== 'out') return undefined;
    const t: StatusTarget = { wamid, waId: e.waId, phoneNumberId: e.phoneNumberId, category: 'service' };
    if (e.callbackData !== undefined) t.callbackData = e.callbackData;
    return t;
  };
  const customer = (wamid: string, status: 'read' | 'delivered'): boolean => {
    const t = targetOf(wamid);
    if (!t) return false;
    state.entry(wamid)!.status = status;
    if (status === 'read') reporter.read(t);
    else reporter.delivered(t);
    return true;
  };
  return {
    url: rt.baseUrl,
    state,
    async simulateInbound(spec) {
      const built = buildInbound(rt, spec);
      const { body, signature } = signedMetaBody(built.payload, appSecret);
      const out: SimulatedInbound = { wamid: built.wamid, payload: built.payload, body, signature };
      if (sender.enabled) out.delivery = await sender.postRaw(body, signature);
      return out;
    },
    markReadByCustomer: (wamid) => customer(wamid, 'read'),
    deliver: (wamid) => customer(wamid, 'delivered'),
    idle: () => reporter.idle(),
    webhookStats: () => ({ ...sender.stats }),
    async close() {
      reporter.close();
      await Promise.all([closeServer(), sender.close()]);
    },
  };
}

type Kind = { number: boolean; waba: boolean; media: boolean; app: boolean; upload: boolean; template: boolean };

function routeName(method: string, edge: string | undefined, kind: Kind): SandboxRoute | undefined {
  if (edge === 'messages') return method === 'POST' && kind.number ? 'messages' : undefined;
  if (edge === 'media') return method === 'POST' && kind.number ? 'media_upload' : undefined;
  if (edge === 'message_templates' && kind.waba) {
    return method === 'GET' ? 'templates_list' : method === 'POST' ? 'templates_create' : method === 'DELETE' ? 'templates_delete' : undefined;
  }
  if (edge === 'subscribed_apps') return method === 'POST' && kind.waba ? 'subscribed_apps' : undefined;
  if (edge === 'uploads') return method === 'POST' && kind.app ? 'upload_session' : undefined;
  if (edge) return undefined;
  if (kind.upload) return method === 'POST' ? 'upload_data' : method === 'GET' ? 'upload_status' : undefined;
  if (kind.template) return method === 'POST' ? 'templates_edit' : undefined;
  if (kind.media) return method === 'GET' ? 'media_get' : method === 'DELETE' ? 'media_delete' : undefined;
  return method === 'GET' && kind.number ? 'phone_number' : undefined;
}

async function route(rt: Runtime, req: IncomingMessage, res: ServerResponse, latencyMs: number): Promise<void> {
  const url = new URL(req.url ?? '/', rt.baseUrl);
  const segs = url.pathname.split('/').filter(Boolean);
  if (latencyMs > 0) await sleep(latencyMs);
  if (segs[0] === '_media' && segs[1] && req.method === 'GET') return handleDownload(rt, req, res, url, segs[1]);
  const [version, rawId, edge, ...rest] = segs;
  const id = rawId?.replace(/^upload%3A/i, 'upload:');
  if (!version || !/^v\d+\.\d+$/.test(version) || !id || rest.length > 0) {
    return sendGraphError(res, { code: 100, message: '(#100) Unknown path components', details: url.pathname });
  }
  const token = bearer(req);
  if (!token || !rt.state.tokens.has(token)) {
    return sendGraphError(res, { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
  }
  const method = req.method ?? 'GET';
  const number = rt.state.numbers.get(id);
  const media = rt.state.media.get(id);
  const upload = id.startsWith('upload:') ? uploadSessionOf({ rt, url, id }) : undefined;
  const template = rt.state.templateById(id);
  const name = routeName(method, edge, {
    number: !!number, waba: rt.state.wabaIds().includes(id), media: !!media, app: rt.state.appIds.has(id), upload: !!upload, template: !!template,
  });
  if (!name) {
    return sendGraphError(res, {
      code: 100,
      subcode: 33,
      message: `(#100) Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    });
  }
  rt.state.requests[name] = (rt.state.requests[name] ?? 0) + 1;
  const ctx: Ctx = { rt, req, res, url, version, id, edge };
  if (name === 'messages') return handleMessages(ctx, number!); // applies its own rules (per recipient, async)
  const rule = rt.state.takeRule(name);
  if (rule) {
    return sendGraphError(res, { code: rule.code, subcode: rule.subcode, message: rule.message ?? `(#${rule.code}) Sandbox error`, details: rule.details }, rule.httpStatus);
  }
  switch (name) {
    case 'media_upload':
      return handleUpload(ctx, number!);
    case 'media_get':
      return handleMediaGet(ctx, media!);
    case 'media_delete':
      return handleMediaDelete(ctx, media!);
    case 'phone_number':
      return phoneNumberInfo(ctx);
    case 'templates_list':
      return handleList(ctx, id);
    case 'templates_create':
      return handleCreate(ctx, id);
    case 'templates_delete':
      return handleDelete(ctx, id);
    case 'templates_edit':
      return handleEdit(ctx, template!);
    case 'upload_session':
      return handleUploadSession(ctx, id);
    case 'upload_data':
      return handleUploadData(ctx, upload!);
    case 'upload_status':
      return handleUploadStatus(ctx, upload!);
    default: // subscribed_apps
      rt.state.subscriptions.add(id);
      return sendJson(res, 200, { success: true });
  }
}

function phoneNumberInfo(ctx: Ctx): void {
  const n = ctx.rt.state.numbers.get(ctx.id)!;
  const full: Record<string, unknown> = {
    id: n.phoneNumberId,
    verified_name: n.verifiedName,
    display_phone_number: n.displayPhoneNumber,
    quality_rating: n.qualityRating ?? 'GREEN',
    throughput: { level: n.throughputLevel ?? 'STANDARD' },
    whatsapp_business_manager_messaging_limit: n.messagingLimitTier ?? 'TIER_250',
  };
  const fields = ctx.url.searchParams.get('fields')?.split(',').map((f) => f.trim());
  const out: Record<string, unknown> = { id: n.phoneNumberId };
  for (const f of fields ?? PHONE_FIELDS) if (f in full) out[f] = full[f];
  sendJson(ctx.res, 200, out);
}
