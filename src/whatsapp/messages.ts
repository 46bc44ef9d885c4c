// Builders for send bodies. They enforce Meta's documented limits up front
// (cloud-api.md §2.2) so an agent sees a field error instead of a Graph 100.
import { Invalid, type FieldErrors } from '../errors.js';
import type {
  ContactCard,
  Envelope,
  InteractiveHeader,
  ListSection,
  LocationBody,
  MarkReadBody,
  MediaKind,
  MediaRef,
  OutboundMessage,
  TemplateComponent,
  TemplateParam,
} from './message-types.js';

export * from './message-types.js';

export const LIMITS = Object.freeze({
  textBody: 4096,
  caption: 1024,
  callbackDataBytes: 512,
  buttons: 3,
  buttonId: 256,
  buttonTitle: 20,
  buttonBody: 1024,
  footer: 60,
  headerText: 60,
  listSections: 10,
  listRows: 10,
  listButton: 20,
  listBody: 4096,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
});

export interface SendOptions {
  /** wamid of the message being quoted. */
  replyTo?: string;
  /** Correlation string echoed in status webhooks (≤512 bytes; keep ≤256 ASCII). */
  callbackData?: string;
  recipientType?: 'individual' | 'group';
}

/** Counts characters as a person does (code points, so an emoji is 1). */
const chars = (s: string) => [...s].length;

class Checker {
  readonly errors: FieldErrors = {};
  maxLen(field: string, value: string | undefined, max: number): void {
    if (value !== undefined && chars(value) > max) this.errors[field] = { code: 'whatsapp.too_long', params: { max } };
  }
  required(field: string, value: string | undefined): void {
    if (value === undefined || value.trim() === '') this.errors[field] = { code: 'whatsapp.required' };
  }
  count(field: string, n: number, min: number, max: number): void {
    if (n < min || n > max) this.errors[field] = { code: n < min ? 'whatsapp.too_few' : 'whatsapp.too_many', params: { min, max } };
  }
  done(): void {
    if (Object.keys(this.errors).length > 0) throw new Invalid(this.errors, 'whatsapp.invalid_message');
  }
}

function envelope(to: string, opts: SendOptions = {}): Envelope {
  const c = new Checker();
  c.required('to', to);
  if (opts.callbackData !== undefined && Buffer.byteLength(opts.callbackData) > LIMITS.callbackDataBytes) {
    c.errors.callbackData = { code: 'whatsapp.too_long', params: { max: LIMITS.callbackDataBytes } };
  }
  c.done();
  const env: Envelope = { messaging_product: 'whatsapp', recipient_type: opts.recipientType ?? 'individual', to };
  if (opts.replyTo) env.context = { message_id: opts.replyTo };
  if (opts.callbackData !== undefined) env.biz_opaque_callback_data = opts.callbackData;
  return env;
}

export function textMessage(to: string, body: string, opts: SendOptions & { previewUrl?: boolean } = {}): OutboundMessage {
  const c = new Checker();
  c.required('body', body);
  c.maxLen('body', body, LIMITS.textBody);
  c.done();
  const text: { body: string; preview_url?: boolean } = { body };
  if (opts.previewUrl !== undefined) text.preview_url = opts.previewUrl;
  return { ...envelope(to, opts), type: 'text', text };
}

export function mediaMessage(
  to: string,
  kind: MediaKind,
  media: MediaRef,
  opts: SendOptions & { caption?: string; filename?: string } = {},
): OutboundMessage {
  const c = new Checker();
  if (!media.id && !media.link) c.errors.media = { code: 'whatsapp.required' };
  if (opts.caption !== undefined && (kind === 'audio' || kind === 'sticker')) c.errors.caption = { code: 'whatsapp.not_allowed' };
  c.maxLen('caption', opts.caption, LIMITS.caption);
  c.done();
  const ref: MediaRef = media.id ? { id: media.id } : { link: media.link! };
  const env = envelope(to, opts);
  if (kind === 'audio') return { ...env, type: 'audio', audio: ref };
  if (kind === 'sticker') return { ...env, type: 'sticker', sticker: ref };
  const obj = { ...ref, ...(opts.caption !== undefined ? { caption: opts.caption } : {}) };
  if (kind === 'document') return { ...env, type: 'document', document: { ...obj, ...(opts.filename ? { filename: opts.filename } : {}) } };
  return kind === 'image' ? { ...env, type: 'image', image: obj } : { ...env, type: 'video', video: obj };
}

export function locationMessage(to: string, location: LocationBody, opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  if (!(Math.abs(location.latitude) <= 90)) c.errors.latitude = { code: 'whatsapp.out_of_range' };
  if (!(Math.abs(location.longitude) <= 180)) c.errors.longitude = { code: 'whatsapp.out_of_range' };
  c.done();
  return { ...envelope(to, opts), type: 'location', location };
}

export function contactsMessage(to: string, contacts: ContactCard[], opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  c.count('contacts', contacts.length, 1, 257);
  contacts.forEach((card, i) => c.required(`contacts.${i}.name.formatted_name`, card.name?.formatted_name));
  c.done();
  return { ...envelope(to, opts), type: 'contacts', contacts };
}

/** Reacts to `messageId`; an empty emoji removes the reaction. */
export function reactionMessage(to: string, messageId: string, emoji: string, opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  c.required('messageId', messageId);
  c.done();
  return { ...envelope(to, { ...opts, replyTo: undefined }), type: 'reaction', reaction: { message_id: messageId, emoji } };
}

export interface ButtonsInput {
  body: string;
  buttons: Array<{ id: string; title: string }>;
  header?: InteractiveHeader;
  footer?: string;
}

export function buttonsMessage(to: string, input: ButtonsInput, opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  c.required('body', input.body);
  c.maxLen('body', input.body, LIMITS.buttonBody);
  c.maxLen('footer', input.footer, LIMITS.footer);
  if (input.header?.type === 'text') c.maxLen('header', input.header.text, LIMITS.headerText);
  c.count('buttons', input.buttons.length, 1, LIMITS.buttons);
  const seen = new Set<string>();
  input.buttons.forEach((b, i) => {
    c.required(`buttons.${i}.id`, b.id);
    c.maxLen(`buttons.${i}.id`, b.id, LIMITS.buttonId);
    c.required(`buttons.${i}.title`, b.title);
    c.maxLen(`buttons.${i}.title`, b.title, LIMITS.buttonTitle);
    if (seen.has(b.title)) c.errors[`buttons.${i}.title`] = { code: 'whatsapp.duplicate' };
    seen.add(b.title);
  });
  c.done();
  return {
    ...envelope(to, opts),
    type: 'interactive',
    interactive: {
      type: 'button',
      ...(input.header ? { header: input.header } : {}),
      body: { text: input.body },
      ...(input.footer ? { footer: { text: input.footer } } : {}),
      action: { buttons: input.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
    },
  };
}

export interface ListInput {
  body: string;
  /** Label of the button that opens the list. */
  button: string;
  sections: ListSection[];
  header?: string;
  footer?: string;
}

export function listMessage(to: string, input: ListInput, opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  c.required('body', input.body);
  c.maxLen('body', input.body, LIMITS.listBody);
  c.required('button', input.button);
  c.maxLen('button', input.button, LIMITS.listButton);
  c.maxLen('header', input.header, LIMITS.headerText);
  c.maxLen('footer', input.footer, LIMITS.footer);
  c.count('sections', input.sections.length, 1, LIMITS.listSections);
  c.count('rows', input.sections.reduce((n, s) => n + s.rows.length, 0), 1, LIMITS.listRows);
  input.sections.forEach((s, i) => {
    if (input.sections.length > 1) c.required(`sections.${i}.title`, s.title);
    c.maxLen(`sections.${i}.title`, s.title, LIMITS.sectionTitle);
    s.rows.forEach((r, j) => {
      const f = `sections.${i}.rows.${j}`;
      c.required(`${f}.id`, r.id);
      c.maxLen(`${f}.id`, r.id, LIMITS.rowId);
      c.required(`${f}.title`, r.title);
      c.maxLen(`${f}.title`, r.title, LIMITS.rowTitle);
      c.maxLen(`${f}.description`, r.description, LIMITS.rowDescription);
    });
  });
  c.done();
  return {
    ...envelope(to, opts),
    type: 'interactive',
    interactive: {
      type: 'list',
      ...(input.header ? { header: { type: 'text', text: input.header } } : {}),
      body: { text: input.body },
      ...(input.footer ? { footer: { text: input.footer } } : {}),
      action: { button: input.button, sections: input.sections },
    },
  };
}

type BodyValue =
  | string
  | { currency: { fallback_value: string; code: string; amount_1000: number } }
  | { date_time: { fallback_value: string } };

export type TemplateHeaderInput =
  | { text: string; name?: string }
  | { image: MediaRef }
  | { video: MediaRef }
  | { document: MediaRef & { filename?: string } }
  | { location: LocationBody };

export type TemplateButtonInput =
  | { index: number; type: 'quick_reply'; payload: string }
  | { index: number; type: 'url'; text: string }
  | { index: number; type: 'copy_code'; code: string };

export interface TemplateInput {
  name: string;
  /** Exact approved language code (`en_US` is not `en`). */
  language: string;
  header?: TemplateHeaderInput;
  /** An array for POSITIONAL templates ({{1}}…), an object for NAMED ones ({{first_name}}). */
  body?: BodyValue[] | Record<string, BodyValue>;
  buttons?: TemplateButtonInput[];
}

function bodyParam(v: BodyValue, name?: string): TemplateParam {
  const named = name === undefined ? {} : { parameter_name: name };
  if (typeof v === 'string') return { type: 'text', text: v, ...named };
  if ('currency' in v) return { type: 'currency', currency: v.currency, ...named };
  return { type: 'date_time', date_time: v.date_time, ...named };
}

function headerParam(h: TemplateHeaderInput): TemplateParam {
  if ('text' in h) return { type: 'text', text: h.text, ...(h.name ? { parameter_name: h.name } : {}) };
  if ('image' in h) return { type: 'image', image: h.image };
  if ('video' in h) return { type: 'video', video: h.video };
  if ('document' in h) return { type: 'document', document: h.document };
  return { type: 'location', location: h.location };
}

function buttonComponent(b: TemplateButtonInput): TemplateComponent {
  const index = String(b.index);
  if (b.type === 'quick_reply') return { type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: b.payload }] };
  if (b.type === 'url') return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: b.text }] };
  return { type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: b.code }] };
}

export function templateMessage(to: string, input: TemplateInput, opts: SendOptions = {}): OutboundMessage {
  const c = new Checker();
  c.required('name', input.name);
  c.required('language', input.language);
  c.done();
  const components: TemplateComponent[] = [];
  if (input.header) components.push({ type: 'header', parameters: [headerParam(input.header)] });
  if (input.body) {
    const parameters = Array.isArray(input.body)
      ? input.body.map((v) => bodyParam(v))
      : Object.entries(input.body).map(([name, v]) => bodyParam(v, name));
    if (parameters.length > 0) components.push({ type: 'body', parameters });
  }
  for (const b of input.buttons ?? []) components.push(buttonComponent(b));
  return {
    ...envelope(to, opts),
    type: 'template',
    template: { name: input.name, language: { code: input.language }, ...(components.length ? { components } : {}) },
  };
}

/** Marks an inbound message read; `typing` also shows the typing indicator. */
export function markReadBody(messageId: string, typing = false): MarkReadBody {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: messageId,
    ...(typing ? { typing_indicator: { type: 'text' as const } } : {}),
  };
}
