// In-memory state of the emulator: numbers, tokens, templates, media, the
// per-recipient message log, 24 h windows and error rules. No I/O here.
import { randomBytes } from 'node:crypto';
import type { TemplateCategory, TemplateComponentDef, TemplateStatus } from '../cloud-api-types.js';
import { SANDBOX_DEFAULTS, WINDOW_MS, type ErrorRule, type SandboxNumber, type SandboxRoute } from './options.js';

export interface StoredTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: TemplateComponentDef[];
  /** When it was edited while APPROVED (epoch ms): Meta allows 1 per 24 h, 10 per 30 days. */
  approvedEdits: number[];
}

/** A resumable upload session (`POST /{app-id}/uploads`) and the bytes received so far. */
export interface UploadSession {
  id: string;
  sig: string;
  appId: string;
  fileLength: number;
  fileType: string;
  fileName?: string;
  chunks: Buffer[];
  offset: number;
  handle?: string;
}

/** What an upload handle stands for (a template header example). */
export interface UploadedFile {
  handle: string;
  mimeType: string;
  size: number;
  sha256: string;
  fileName?: string;
}

export interface StoredMedia {
  id: string;
  phoneNumberId: string;
  data: Buffer;
  mimeType: string;
  sha256: string;
  filename?: string;
}

export type LogStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

/** One message on the sandbox phone, in either direction. */
export interface LogEntry {
  direction: 'in' | 'out';
  wamid: string;
  phoneNumberId: string;
  waId: string;
  type: string;
  /** The send body (out) or the webhook message object (in). */
  body: unknown;
  /** Epoch ms. */
  at: number;
  status: LogStatus;
  callbackData?: string;
  errorCode?: number;
}

export type TemplateListener = (t: StoredTemplate) => void;

type LiveRule = ErrorRule & { left: number };

export interface StateInit {
  numbers?: SandboxNumber[];
  appIds?: string[];
  tokens?: string[];
  rules?: ErrorRule[];
  clock?: { now(): number };
  logMessages?: boolean;
  logLimitPerRecipient?: number;
}

export class SandboxState {
  readonly numbers = new Map<string, SandboxNumber>();
  readonly tokens: Set<string>;
  readonly media = new Map<string, StoredMedia>();
  readonly subscriptions = new Set<string>();
  readonly appIds: Set<string>;
  /** Resumable upload sessions by id (`upload:…`, without the `?sig=`). */
  readonly uploads = new Map<string, UploadSession>();
  /** Completed uploads by handle. */
  readonly handles = new Map<string, UploadedFile>();
  readonly stats = { accepted: 0, rejected: 0, inbound: 0, markedRead: 0 };
  /** Graph calls received, per route. */
  readonly requests: Partial<Record<SandboxRoute, number>> = {};
  /** Called when a template changes status (the server turns it into a webhook). */
  onTemplateStatus: TemplateListener | undefined;

  private readonly templates = new Map<string, StoredTemplate[]>();
  private readonly logs = new Map<string, LogEntry[]>();
  private readonly byWamid = new Map<string, LogEntry>();
  private readonly lastInbound = new Map<string, number>();
  private rules: LiveRule[] = [];
  private seq = 0;
  private readonly runId = randomBytes(4).toString('hex');
  private readonly clock: { now(): number };
  private readonly logMessages: boolean;
  private readonly logLimit: number;

  constructor(init: StateInit = {}) {
    const numbers = init.numbers ?? [
      {
        phoneNumberId: SANDBOX_DEFAULTS.phoneNumberId,
        displayPhoneNumber: SANDBOX_DEFAULTS.displayPhoneNumber,
        verifiedName: SANDBOX_DEFAULTS.verifiedName,
        wabaId: SANDBOX_DEFAULTS.wabaId,
      },
    ];
    for (const n of numbers) this.numbers.set(n.phoneNumberId, n);
    this.tokens = new Set(init.tokens ?? [SANDBOX_DEFAULTS.token]);
    this.appIds = new Set(init.appIds ?? [SANDBOX_DEFAULTS.appId]);
    for (const r of init.rules ?? []) this.addErrorRule(r);
    this.clock = init.clock ?? Date;
    this.logMessages = init.logMessages ?? true;
    this.logLimit = init.logLimitPerRecipient ?? 500;
  }

  now(): number {
    return this.clock.now();
  }

  /** Deterministic numeric-looking id (templates, media, trace ids). */
  nextId(): string {
    return String(900_000_000_000_000 + ++this.seq);
  }

  newWamid(phoneNumberId: string): string {
    // The run id keeps wamids unique across restarts (the app deduplicates on wamid).
    return 'wamid.' + Buffer.from(`sandbox/${phoneNumberId}/${this.runId}/${++this.seq}`).toString('base64url');
  }

  wabaIds(): string[] {
    return [...new Set([...this.numbers.values()].map((n) => n.wabaId))];
  }

  // ---- templates ----

  addTemplate(def: {
    name: string;
    language: string;
    category?: TemplateCategory;
    components?: TemplateComponentDef[];
    parameterFormat?: 'POSITIONAL' | 'NAMED';
    status?: TemplateStatus;
    wabaId?: string;
  }): StoredTemplate {
    const wabaId = def.wabaId ?? this.wabaIds()[0] ?? SANDBOX_DEFAULTS.wabaId;
    const t: StoredTemplate = {
      id: this.nextId(),
      wabaId,
      name: def.name,
      language: def.language,
      status: def.status ?? 'APPROVED',
      category: def.category ?? 'UTILITY',
      parameter_format: def.parameterFormat ?? 'POSITIONAL',
      components: def.components ?? [{ type: 'BODY', text: def.name }],
      approvedEdits: [],
    };
    const list = this.templates.get(wabaId) ?? [];
    list.push(t);
    this.templates.set(wabaId, list);
    return t;
  }

  templatesOf(wabaId: string): StoredTemplate[] {
    return this.templates.get(wabaId) ?? [];
  }

  templateById(id: string): StoredTemplate | undefined {
    for (const list of this.templates.values()) {
      const t = list.find((x) => x.id === id);
      if (t) return t;
    }
    return undefined;
  }

  findTemplate(wabaId: string, name: string, language: string): StoredTemplate | undefined {
    return this.templatesOf(wabaId).find((t) => t.name === name && t.language === language);
  }

  /** Changes the status of `name` (one language or all) and notifies the webhook listener. */
  setTemplateStatus(name: string, status: TemplateStatus, language?: string, wabaId?: string): StoredTemplate[] {
    const changed: StoredTemplate[] = [];
    for (const [waba, list] of this.templates) {
      if (wabaId && waba !== wabaId) continue;
      for (const t of list) {
        if (t.name !== name || (language && t.language !== language) || t.status === status) continue;
        t.status = status;
        changed.push(t);
        this.onTemplateStatus?.(t);
      }
    }
    return changed;
  }

  approveTemplate(name: string, language?: string, wabaId?: string): StoredTemplate[] {
    return this.setTemplateStatus(name, 'APPROVED', language, wabaId);
  }

  deleteTemplates(wabaId: string, name: string, hsmId?: string): number {
    const list = this.templatesOf(wabaId);
    const keep = list.filter((t) => t.name !== name || (hsmId !== undefined && t.id !== hsmId));
    this.templates.set(wabaId, keep);
    return list.length - keep.length;
  }

  // ---- customer-service windows ----

  openWindow(phoneNumberId: string, waId: string, at = this.now()): void {
    this.lastInbound.set(`${phoneNumberId}:${waId}`, at);
  }

  windowOpen(phoneNumberId: string, waId: string): boolean {
    const at = this.lastInbound.get(`${phoneNumberId}:${waId}`);
    return at !== undefined && this.now() - at < WINDOW_MS;
  }

  // ---- message log ----

  record(entry: LogEntry): void {
    if (!this.logMessages) return;
    let list = this.logs.get(entry.waId);
    if (!list) {
      list = [];
      this.logs.set(entry.waId, list);
    }
    list.push(entry);
    this.byWamid.set(entry.wamid, entry);
    if (list.length > this.logLimit) this.byWamid.delete(list.shift()!.wamid);
  }

  entry(wamid: string): LogEntry | undefined {
    return this.byWamid.get(wamid);
  }

  /** The conversation with one customer, oldest first. */
  messagesFor(waId: string): readonly LogEntry[] {
    return this.logs.get(waId) ?? [];
  }

  recipients(): string[] {
    return [...this.logs.keys()];
  }

  // ---- error rules ----

  addErrorRule(rule: ErrorRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
  }

  clearErrorRules(): void {
    this.rules = [];
  }

  /** The first rule matching this call, consumed once. */
  takeRule(route: SandboxRoute, waId?: string): ErrorRule | undefined {
    const i = this.rules.findIndex(
      (r) => (r.route === 'any' || (r.route ?? 'messages') === route) && (!r.to || r.to === waId),
    );
    if (i === -1) return undefined;
    const rule = this.rules[i]!;
    if (--rule.left <= 0) this.rules.splice(i, 1);
    return rule;
  }
}
