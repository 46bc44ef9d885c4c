// POST /{ver}/{phone-number-id}/messages: sends and mark-as-read.
// Order of checks: error rules → throughput → body validation → pair rate → 24 h window.
import { isObj, str, type Json } from '../json-read.js';
import { type Ctx, type Runtime } from './context.js';
import { readBody, sendGraphError, sendJson } from './http.js';
import type { ErrorRule, SandboxNumber } from './options.js';
import { validateSend, type GraphFailure } from './validate.js';
import type { StatusTarget } from './webhooks.js';

const MAX_JSON = 3 * 1024 * 1024;

function ruleFailure(rule: ErrorRule): GraphFailure {
  return {
    code: rule.code,
    subcode: rule.subcode,
    message: rule.message ?? `(#${rule.code}) Sandbox error ${rule.code}`,
    details: rule.details ?? `Simulated error ${rule.code}`,
  };
}

type Parsed = { ok: true; body: Json } | { ok: false; failure: GraphFailure };

async function readJson(ctx: Ctx): Promise<Parsed> {
  const bad = (details: string): Parsed => ({ ok: false, failure: { code: 100, message: '(#100) Invalid parameter', details } });
  try {
    const parsed: unknown = JSON.parse((await readBody(ctx.req, MAX_JSON)).toString('utf8'));
    return isObj(parsed) ? { ok: true, body: parsed } : bad('body must be a JSON object');
  } catch {
    return bad('body is not valid JSON (or too large)');
  }
}

const PAIR_RATE: GraphFailure = {
  code: 131056,
  subcode: 2494055,
  message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
  details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
};
const THROUGHPUT: GraphFailure = { code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' };
const WINDOW: GraphFailure = {
  code: 131047,
  message: '(#131047) Re-engagement message',
  details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
};

/** Either an immediate rejection, or acceptance (possibly followed by an async failure). */
type Verdict = { reject: GraphFailure; httpStatus?: number } | { reject?: undefined; asyncFailure?: GraphFailure };

function judge(rt: Runtime, n: SandboxNumber, body: Json, waId: string, now: number): Verdict {
  const rule = rt.state.takeRule('messages', waId);
  if (rule && !rule.async) return { reject: ruleFailure(rule), httpStatus: rule.httpStatus };
  if (rt.throughput && !rt.throughput.get(n.phoneNumberId, now).take(now)) return { reject: THROUGHPUT };
  const invalid = validateSend(body, (name, lang) => rt.state.findTemplate(n.wabaId, name, lang));
  if (invalid) return { reject: invalid };
  if (rt.pair && !rt.pair.get(`${n.phoneNumberId}:${waId}`, now).take(now)) return { reject: PAIR_RATE };
  const windowClosed = rt.enforceWindow && body.type !== 'template' && !rt.state.windowOpen(n.phoneNumberId, waId);
  if (windowClosed && rt.windowErrors === 'sync') return { reject: WINDOW };
  return { asyncFailure: rule ? ruleFailure(rule) : windowClosed ? WINDOW : undefined };
}

export async function handleMessages(ctx: Ctx, n: SandboxNumber): Promise<void> {
  const parsed = await readJson(ctx);
  if (!parsed.ok) return sendGraphError(ctx.res, parsed.failure);
  const body = parsed.body;
  if (body.status === 'read') return markRead(ctx, n, body);
  const { rt } = ctx;
  const to = str(body.to) ?? '';
  const waId = rt.toWaId(to);
  const now = rt.state.now();
  const verdict = judge(rt, n, body, waId, now);
  if (verdict.reject) {
    rt.state.stats.rejected++;
    return sendGraphError(ctx.res, verdict.reject, verdict.httpStatus);
  }
  accept(ctx, n, body, { to, waId, now }, verdict.asyncFailure);
}

function accept(ctx: Ctx, n: SandboxNumber, body: Json, r: { to: string; waId: string; now: number }, asyncFailure?: GraphFailure): void {
  const { rt } = ctx;
  const type = str(body.type) ?? 'text';
  const wamid = rt.state.newWamid(n.phoneNumberId);
  const callbackData = str(body.biz_opaque_callback_data);
  const t = type === 'template' && isObj(body.template) ? body.template : undefined;
  const lang = t && isObj(t.language) ? str(t.language.code) : undefined;
  const tpl = t && lang ? rt.state.findTemplate(n.wabaId, str(t.name) ?? '', lang) : undefined;
  rt.state.stats.accepted++;
  rt.state.record({ direction: 'out', wamid, phoneNumberId: n.phoneNumberId, waId: r.waId, type, body, at: r.now, status: 'accepted', callbackData });
  const message: Record<string, string> = { id: wamid };
  if (tpl) message.message_status = 'accepted';
  sendJson(ctx.res, 200, { messaging_product: 'whatsapp', contacts: [{ input: r.to, wa_id: r.waId }], messages: [message] });

  const target: StatusTarget = { wamid, waId: r.waId, phoneNumberId: n.phoneNumberId, category: tpl ? tpl.category.toLowerCase() : 'service' };
  if (callbackData !== undefined) target.callbackData = callbackData;
  const entry = rt.state.entry(wamid);
  if (asyncFailure) {
    if (entry) Object.assign(entry, { status: 'failed', errorCode: asyncFailure.code });
    rt.reporter.failed(target, { code: asyncFailure.code, title: asyncFailure.message.replace(/^\(#\d+\)\s*/, ''), details: asyncFailure.details });
  } else {
    if (entry) entry.status = rt.reporter.autoDeliver ? 'delivered' : 'sent';
    rt.reporter.accepted(target);
  }
}

function markRead(ctx: Ctx, n: SandboxNumber, body: Json): void {
  const { rt } = ctx;
  const rule = rt.state.takeRule('mark_read');
  if (rule) return sendGraphError(ctx.res, ruleFailure(rule), rule.httpStatus);
  const id = str(body.message_id);
  if (!id) return sendGraphError(ctx.res, { code: 131008, message: '(#131008) Required parameter is missing', details: 'message_id is required' });
  const entry = rt.state.entry(id);
  if (entry && (entry.direction !== 'in' || entry.phoneNumberId !== n.phoneNumberId)) {
    return sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details: 'only inbound messages can be marked as read' });
  }
  // Like WhatsApp: reading the newest message reads every earlier one (blue ticks on the phone).
  if (entry) for (const e of rt.state.messagesFor(entry.waId)) if (e.direction === 'in' && e.phoneNumberId === n.phoneNumberId && e.at <= entry.at) e.status = 'read';
  rt.state.stats.markedRead++;
  sendJson(ctx.res, 200, { success: true });
}
