// THE place that sends WhatsApp messages. Every send — inbox, API, auto-reply,
// campaign — comes through here, so the rules are decided once:
//   number usable → contact not opted out → 24-hour window (free-form) or an
//   APPROVED template → monthly plan quota for business-initiated sends
// all BEFORE Meta is called. Then send-dispatch.ts stores, sends and records.
// Each function returns the stored message; refusals throw DomainErrors whose
// codes are i18n keys; a Meta error is stored on the message and thrown as
// WhatsAppSendError (code `whatsapp.meta.<code>`, params.code = Meta's code).
import type { Deps } from '../deps.js';
import { DomainError, NotFound } from '../errors.js';
import { MetaApiError, WhatsAppTransportError } from './errors.js';
import { checkAttachment, uploadForSend } from './media-service.js';
import type { StoredMessage } from './message-store.js';
import {
  buttonsMessage, listMessage, mediaMessage, templateMessage, textMessage,
  type ButtonsInput, type ListInput, type MediaKind, type TemplateButtonInput, type TemplateHeaderInput,
} from './messages.js';
import {
  approvedTemplate, assertNotOptedOut, assertNumberUsable, assertWindowOpen, checkTemplateParams, resolveTarget,
  type TargetRef, type TemplateParams,
} from './send-checks.js';
import { dispatch, dispatchMarkRead, type MarkReadResult } from './send-dispatch.js';
import { metaErrorKey } from './meta-errors.js';
import { componentOf, renderTemplateText, variablesOf } from './templates-store.js';

export { windowState, conversationWindow, type WindowState } from './window.js';
export { WhatsAppSendError, metaErrorKey, metaErrorText } from './meta-errors.js';
export type { StoredMessage } from './message-store.js';
export type { TargetRef, TemplateParams } from './send-checks.js';
export type { MarkReadResult } from './send-dispatch.js';

type Common = {
  /** The staff member sending; null for automatic sends (auto-replies, API without a user). */
  userId: number | null;
  /** Internal: system messages the customer asked for (the opt-out confirmation) skip the opt-out check. */
  system?: boolean;
};

async function replyWamid(deps: Deps, conversationId: number, replyTo: number | string | undefined): Promise<string | undefined> {
  if (replyTo === undefined || replyTo === '') return undefined;
  if (typeof replyTo === 'string' && replyTo.startsWith('wamid.')) return replyTo;
  const row = await deps.db('messages').where({ id: Number(replyTo), conversation_id: conversationId }).first('wamid');
  if (!row?.wamid) throw new NotFound('whatsapp.reply_not_found');
  return String(row.wamid);
}

async function freeFormTarget(deps: Deps, ref: TargetRef, c: Common) {
  const target = await resolveTarget(deps, ref);
  assertNumberUsable(target.number);
  if (!c.system) assertNotOptedOut(target.contact);
  assertWindowOpen(target);
  return target;
}

/** Free text inside the 24-hour window. `replyTo`: our message id (or a wamid) to quote. */
export async function sendText(deps: Deps, input: { conversationId: number; text: string; replyTo?: number | string } & Common): Promise<StoredMessage> {
  const target = await freeFormTarget(deps, { conversationId: input.conversationId }, input);
  const replyToWamid = await replyWamid(deps, input.conversationId, input.replyTo);
  return dispatch(deps, {
    target, type: 'text', body: input.text, payload: { text: input.text }, businessInitiated: false, userId: input.userId, replyToWamid,
    build: (to, opts) => textMessage(to, input.text, opts),
  });
}

export type TemplateSend = TargetRef & Common & {
  templateId: number;
  /** Positional values (['Ana', '#123']) or named ones ({ first_name: 'Ana' }). */
  params?: TemplateParams;
  /** Value for a {{1}} in a TEXT header, or the media of an IMAGE/VIDEO/DOCUMENT header. */
  header?: TemplateHeaderInput;
  buttons?: TemplateButtonInput[];
  campaignId?: number | null;
  /** Callback data to use (campaigns: `c:{campaign}:r:{recipient}`); default a random id. */
  callbackId?: string;
};

/** An APPROVED template; allowed outside the window (then it counts toward messages_per_month). */
export async function sendTemplate(deps: Deps, input: TemplateSend): Promise<StoredMessage> {
  const target = await resolveTarget(deps, input);
  assertNumberUsable(target.number);
  if (!input.system) assertNotOptedOut(target.contact);
  const t = await approvedTemplate(deps, input.templateId, target.number);
  const headerText = input.header && 'text' in input.header ? input.header.text : undefined;
  checkTemplateParams(t, input.params, headerText);
  const params = input.params ?? [];
  // A NAMED template names every parameter, its text header's too.
  const headerName = t.parameterFormat === 'named' ? variablesOf(componentOf(t, 'HEADER')?.text)[0] : undefined;
  const header = input.header && 'text' in input.header && headerName && !input.header.name ? { ...input.header, name: headerName } : input.header;
  return dispatch(deps, {
    target, type: 'template', body: renderTemplateText(t, params, headerText), templateName: t.name,
    payload: { template: { id: t.id, name: t.name, language: t.language }, params, header: input.header ?? null, buttons: input.buttons ?? [] },
    businessInitiated: !target.window.open, userId: input.userId, campaignId: input.campaignId ?? null, callbackId: input.callbackId,
    build: (to, opts) => templateMessage(to, {
      name: t.name, language: t.language, body: params, header, buttons: input.buttons,
    }, opts),
  });
}

export type InteractiveSend = { conversationId: number } & Common & (
  | { kind: 'buttons'; buttons: ButtonsInput }
  | { kind: 'list'; list: ListInput }
);

/** Reply buttons or a list, inside the window. */
export async function sendInteractive(deps: Deps, input: InteractiveSend): Promise<StoredMessage> {
  const target = await freeFormTarget(deps, { conversationId: input.conversationId }, input);
  const body = input.kind === 'buttons' ? input.buttons.body : input.list.body;
  const payload = input.kind === 'buttons' ? { kind: 'buttons', ...input.buttons } : { kind: 'list', ...input.list };
  return dispatch(deps, {
    target, type: 'interactive', body, payload, businessInitiated: false, userId: input.userId,
    build: (to, opts) => (input.kind === 'buttons' ? buttonsMessage(to, input.buttons, opts) : listMessage(to, input.list, opts)),
  });
}

export type MediaSend = { conversationId: number } & Common & {
  kind: MediaKind;
  /** A row of the media table already uploaded to Meta for this number (see media-service.ts uploadForSend). */
  mediaRowId: number;
  metaMediaId: string;
  caption?: string;
  filename?: string;
};

/** Image, video, audio, document or sticker, inside the window. */
export async function sendMedia(deps: Deps, input: MediaSend): Promise<StoredMessage> {
  const target = await freeFormTarget(deps, { conversationId: input.conversationId }, input);
  return dispatch(deps, {
    target, type: input.kind, body: input.caption ?? input.filename ?? null, mediaId: input.mediaRowId,
    payload: { kind: input.kind, caption: input.caption ?? null, filename: input.filename ?? null },
    businessInitiated: false, userId: input.userId,
    build: (to, opts) => mediaMessage(to, input.kind, { id: input.metaMediaId }, { ...opts, caption: input.caption, filename: input.filename }),
  });
}

export type AttachmentSend = { conversationId: number } & Common & {
  file: { data: Buffer; mimeType?: string; filename?: string };
  caption?: string;
};

/** A file name safe to store and show: no path, no control characters. */
function cleanFileName(name: string | undefined): string | undefined {
  const base = String(name ?? '').replace(/\\/g, '/').split('/').pop()!.replace(/[\x00-\x1f\x7f"]/g, '').trim();
  return base ? base.slice(0, 200) : undefined;
}

/**
 * A file from the inbox composer or the API, inside the window: checked
 * against Meta's types and sizes (media-limits.ts) and the caption rules
 * before anything is kept, then stored in the install's media and uploaded to
 * Meta from the conversation's number (uploadForSend), then sent by media id
 * through sendMedia (row stored before the call, wamid after). An upload
 * refused by Meta is a DomainError with Meta's code; nothing is sent.
 */
export async function sendAttachment(deps: Deps, input: AttachmentSend): Promise<StoredMessage> {
  const target = await freeFormTarget(deps, { conversationId: input.conversationId }, input);
  const type = checkAttachment(input.file);
  const caption = input.caption?.trim() || undefined;
  const filename = cleanFileName(input.file.filename);
  // The builder's caption rules (audio takes none, ≤1024 characters), before the upload.
  mediaMessage(target.contact.phone, type.kind, { id: 'unsent' }, { caption, filename });
  let uploaded: { mediaRowId: number; metaMediaId: string };
  try {
    uploaded = await uploadForSend(deps, target.number.id, { data: input.file.data, mimeType: type.mime, filename });
  } catch (err) {
    if (!(err instanceof MetaApiError || err instanceof WhatsAppTransportError)) throw err;
    const code = err instanceof MetaApiError ? err.code : null;
    deps.log.warn({ conversationId: input.conversationId, code }, 'whatsapp media upload failed');
    throw new DomainError(metaErrorKey(code), 'WhatsApp media upload failed', { meta_code: code }, {
      code: code ?? '—', details: err instanceof MetaApiError ? (err.details ?? err.message) : err.kind,
    });
  }
  return sendMedia(deps, {
    conversationId: input.conversationId, kind: type.kind, mediaRowId: uploaded.mediaRowId, metaMediaId: uploaded.metaMediaId,
    caption, filename: type.kind === 'document' ? filename : undefined, userId: input.userId, system: input.system,
  });
}

/**
 * Blue ticks for the customer: marks the conversation's newest inbound
 * message read on WhatsApp, once (see dispatchMarkRead). Never throws.
 * Callers decide who "reads": the inbox does it when someone who may reply
 * opens the thread, without waiting for the answer.
 */
export async function markRead(deps: Deps, conversationId: number): Promise<MarkReadResult> {
  try {
    return await dispatchMarkRead(deps, conversationId);
  } catch (err) {
    deps.log.warn({ conversationId, err: (err as Error).message }, 'whatsapp mark read failed');
    return 'failed';
  }
}
