// CloudApiClient: every Graph API call ChatFlow makes, in one place.
// Tokens are passed per call (one install can serve several WABAs) and are
// never logged or put into error messages.
import {
  toMediaInfo,
  toPhoneNumberInfo,
  toSendResult,
  toSuccess,
  toTemplatePage,
  DEFAULT_TEMPLATE_FIELDS,
  type CallOptions,
  type CloudApiClientOptions,
  type CreatedTemplate,
  type ListTemplatesOptions,
  type MediaInfo,
  type PhoneNumberInfo,
  type SendResult,
  type TemplateCategory,
  type TemplateDefinition,
  type TemplateInfo,
  type TemplatePage,
  type TemplateEdit,
  type TemplateStatus,
  type UploadedSample,
} from './cloud-api-types.js';
import { MetaApiError, NO_ENVELOPE_CODE } from './errors.js';
import { FormData, GraphHttp } from './graph-http.js';
import { markReadBody, type OutboundMessage } from './messages.js';

export * from './cloud-api-types.js';

const PHONE_FIELDS = 'id,verified_name,display_phone_number,quality_rating,throughput,whatsapp_business_manager_messaging_limit';

export class CloudApiClient {
  private readonly base: string;
  private readonly origin: string;
  private readonly http: GraphHttp;
  private readonly downloadUserAgent: string;
  private readonly downloadTimeoutMs: number;

  constructor(opts: CloudApiClientOptions) {
    const graphUrl = opts.graphUrl.replace(/\/+$/, '');
    this.origin = new URL(graphUrl).origin;
    this.base = `${graphUrl}/${opts.apiVersion}`;
    this.downloadUserAgent = opts.downloadUserAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) ChatFlow';
    this.downloadTimeoutMs = opts.downloadTimeoutMs ?? 120_000;
    this.http = new GraphHttp({
      timeoutMs: opts.timeoutMs ?? 15_000,
      connections: opts.connections ?? 256,
      dispatcher: opts.dispatcher,
      userAgent: opts.userAgent ?? 'ChatFlow',
    });
  }

  private url(path: string, query?: Record<string, string | number | undefined>): string {
    let u = `${this.base}/${path}`;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
      const s = qs.toString();
      if (s) u += `?${s}`;
    }
    return u;
  }

  /**
   * Sends any message body (see messages.ts builders). `callbackData` sets
   * `biz_opaque_callback_data`; one already in the body is passed through as is.
   */
  async sendMessage(
    phoneNumberId: string,
    token: string,
    body: OutboundMessage,
    opts: CallOptions & { callbackData?: string } = {},
  ): Promise<SendResult> {
    const payload = opts.callbackData === undefined ? body : { ...body, biz_opaque_callback_data: opts.callbackData };
    const raw = await this.http.json<unknown>({
      method: 'POST',
      url: this.url(`${enc(phoneNumberId)}/messages`),
      token,
      body: JSON.stringify(payload),
      signal: opts.signal,
    });
    return toSendResult(raw, body.to);
  }

  /** Marks an inbound message as read (and optionally shows "typing…"). */
  async markRead(phoneNumberId: string, token: string, messageId: string, opts: CallOptions & { typing?: boolean } = {}): Promise<boolean> {
    const raw = await this.http.json<unknown>({
      method: 'POST',
      url: this.url(`${enc(phoneNumberId)}/messages`),
      token,
      body: JSON.stringify(markReadBody(messageId, opts.typing)),
      signal: opts.signal,
    });
    return toSuccess(raw);
  }

  /** Uploads a file (multipart); the id is usable for 30 days from this number only. */
  async uploadMedia(
    phoneNumberId: string,
    token: string,
    file: { data: Uint8Array; mimeType: string; filename?: string },
    opts: CallOptions = {},
  ): Promise<{ id: string }> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', file.mimeType);
    form.append('file', new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.filename ?? 'file');
    const raw = await this.http.json<{ id?: unknown }>({
      method: 'POST',
      url: this.url(`${enc(phoneNumberId)}/media`),
      token,
      body: form,
      signal: opts.signal,
    });
    return { id: String(raw.id ?? '') };
  }

  /** Resolves a media id to a short-lived (5 min) download URL. */
  async getMediaUrl(mediaId: string, token: string, opts: CallOptions & { phoneNumberId?: string } = {}): Promise<MediaInfo> {
    const raw = await this.http.json<unknown>({
      method: 'GET',
      url: this.url(enc(mediaId), { phone_number_id: opts.phoneNumberId }),
      token,
      signal: opts.signal,
    });
    return toMediaInfo(raw);
  }

  /** Downloads a media URL (needs the token). A 404 means: fetch a new URL and retry. */
  async downloadMedia(url: string, token: string, opts: CallOptions & { maxBytes?: number } = {}): Promise<{ data: Buffer; mimeType: string }> {
    return this.http.bytes(
      { method: 'GET', url, token, signal: opts.signal, userAgent: this.downloadUserAgent, timeoutMs: this.downloadTimeoutMs },
      opts.maxBytes ?? 100 * 1024 * 1024,
    );
  }

  async deleteMedia(mediaId: string, token: string, opts: CallOptions & { phoneNumberId?: string } = {}): Promise<boolean> {
    const raw = await this.http.json<unknown>({
      method: 'DELETE',
      url: this.url(enc(mediaId), { phone_number_id: opts.phoneNumberId }),
      token,
      signal: opts.signal,
    });
    return toSuccess(raw);
  }

  /** One page of templates. Pass `after` (or use listAllTemplates) for the next. */
  async listTemplates(wabaId: string, token: string, opts: ListTemplatesOptions = {}): Promise<TemplatePage> {
    const raw = await this.http.json<unknown>({
      method: 'GET',
      url: this.url(`${enc(wabaId)}/message_templates`, {
        fields: (opts.fields ?? DEFAULT_TEMPLATE_FIELDS).join(','),
        limit: opts.limit,
        after: opts.after,
        status: opts.status,
        name: opts.name,
      }),
      token,
      signal: opts.signal,
    });
    return toTemplatePage(raw);
  }

  /**
   * Every template, following `paging.next` while it points at the Graph origin
   * (else the `after` cursor), until there is no next page.
   */
  async listAllTemplates(
    wabaId: string,
    token: string,
    opts: Omit<ListTemplatesOptions, 'after'> & { maxPages?: number } = {},
  ): Promise<TemplateInfo[]> {
    const all: TemplateInfo[] = [];
    const seen = new Set<string>();
    let page = await this.listTemplates(wabaId, token, opts);
    for (let n = 1; ; n++) {
      all.push(...page.templates);
      if (!page.next || n >= (opts.maxPages ?? 100)) break;
      const key = page.after ?? page.next;
      if (seen.has(key)) break; // a repeating cursor would loop forever
      seen.add(key);
      page = this.sameOrigin(page.next)
        ? toTemplatePage(await this.http.json<unknown>({ method: 'GET', url: page.next, token, signal: opts.signal }))
        : page.after
          ? await this.listTemplates(wabaId, token, { ...opts, after: page.after })
          : { templates: [] };
    }
    return all;
  }

  /** Submits a template for review; it starts PENDING. */
  async createTemplate(wabaId: string, token: string, def: TemplateDefinition, opts: CallOptions = {}): Promise<CreatedTemplate> {
    const body: Record<string, unknown> = {
      name: def.name,
      language: def.language,
      category: def.category,
      components: def.components,
    };
    if (def.parameterFormat) body.parameter_format = def.parameterFormat;
    if (def.allowCategoryChange !== undefined) body.allow_category_change = def.allowCategoryChange;
    const raw = await this.http.json<Record<string, unknown>>({
      method: 'POST',
      url: this.url(`${enc(wabaId)}/message_templates`),
      token,
      body: JSON.stringify(body),
      signal: opts.signal,
    });
    return {
      id: String(raw.id ?? ''),
      status: String(raw.status ?? 'PENDING') as TemplateStatus,
      category: String(raw.category ?? def.category) as TemplateCategory,
    };
  }

  /** Deletes every language of `name`, or one when `hsmId` (template id) is given. */
  async deleteTemplate(wabaId: string, token: string, target: { name: string; hsmId?: string }, opts: CallOptions = {}): Promise<boolean> {
    const raw = await this.http.json<unknown>({
      method: 'DELETE',
      url: this.url(`${enc(wabaId)}/message_templates`, { name: target.name, hsm_id: target.hsmId }),
      token,
      signal: opts.signal,
    });
    return toSuccess(raw);
  }

  /**
   * Edits a template (APPROVED, REJECTED or PAUSED only): `components`, when
   * given, replace all of them; an approved template's category cannot change.
   * The template goes back to review.
   */
  async editTemplate(templateId: string, token: string, edit: TemplateEdit, opts: CallOptions = {}): Promise<boolean> {
    const body: Record<string, unknown> = {};
    if (edit.category) body.category = edit.category;
    if (edit.components) body.components = edit.components;
    if (edit.parameterFormat) body.parameter_format = edit.parameterFormat;
    const raw = await this.http.json<unknown>({
      method: 'POST',
      url: this.url(enc(templateId)),
      token,
      body: JSON.stringify(body),
      signal: opts.signal,
    });
    return toSuccess(raw);
  }

  /**
   * Meta's Resumable Upload API, for the example file of a media template
   * header: opens an upload session on the app (`POST /{app-id}/uploads`),
   * sends the bytes from offset 0 (`POST /{upload-id}`) and returns the handle
   * for `components[HEADER].example.header_handle`.
   */
  async uploadTemplateSample(
    appId: string,
    token: string,
    file: { data: Uint8Array; mimeType: string; filename?: string },
    opts: CallOptions = {},
  ): Promise<UploadedSample> {
    const session = await this.http.json<{ id?: unknown }>({
      method: 'POST',
      url: this.url(`${enc(appId)}/uploads`, { file_name: file.filename, file_length: file.data.length, file_type: file.mimeType }),
      token,
      signal: opts.signal,
    });
    const uploadId = typeof session.id === 'string' && session.id.startsWith('upload:') ? session.id : undefined;
    if (!uploadId) throw new MetaApiError(200, { code: NO_ENVELOPE_CODE, message: 'unexpected Graph response: no upload session id' });
    const raw = await this.http.json<{ h?: unknown }>({
      method: 'POST',
      url: this.uploadUrl(uploadId),
      token,
      // Meta documents this step with the OAuth scheme and a file_offset header.
      headers: { authorization: `OAuth ${token}`, file_offset: '0', 'content-type': 'application/octet-stream' },
      body: file.data,
      signal: opts.signal,
      timeoutMs: this.downloadTimeoutMs,
    });
    if (typeof raw.h !== 'string' || !raw.h) throw new MetaApiError(200, { code: NO_ENVELOPE_CODE, message: 'unexpected Graph response: no upload handle' });
    return { uploadId, handle: raw.h };
  }

  async getPhoneNumberInfo(phoneNumberId: string, token: string, opts: CallOptions = {}): Promise<PhoneNumberInfo> {
    const raw = await this.http.json<unknown>({
      method: 'GET',
      url: this.url(enc(phoneNumberId), { fields: PHONE_FIELDS }),
      token,
      signal: opts.signal,
    });
    return toPhoneNumberInfo(raw);
  }

  /** Subscribes this app to the WABA's webhooks (optionally to another callback URL). */
  async subscribeApp(
    wabaId: string,
    token: string,
    opts: CallOptions & { overrideCallbackUri?: string; verifyToken?: string } = {},
  ): Promise<boolean> {
    const body = opts.overrideCallbackUri
      ? JSON.stringify({ override_callback_uri: opts.overrideCallbackUri, verify_token: opts.verifyToken })
      : undefined;
    const raw = await this.http.json<unknown>({
      method: 'POST',
      url: this.url(`${enc(wabaId)}/subscribed_apps`),
      token,
      body,
      signal: opts.signal,
    });
    return toSuccess(raw);
  }

  /** Closes the keep-alive pool (only if the client created it). */
  async close(): Promise<void> {
    await this.http.close();
  }

  /** `upload:<id>?sig=<sig>`: the id is a path segment (its colon kept), the rest a query string. */
  private uploadUrl(uploadId: string): string {
    const q = uploadId.indexOf('?');
    const id = q === -1 ? uploadId : uploadId.slice(0, q);
    return `${this.base}/${enc(id).replace(/%3A/gi, ':')}${q === -1 ? '' : uploadId.slice(q)}`;
  }

  private sameOrigin(url: string): boolean {
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }
}

const enc = encodeURIComponent;
