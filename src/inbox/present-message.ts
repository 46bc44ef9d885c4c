// MessageRow → what the thread view draws: one `kind` per visual treatment,
// the delivery tick of outbound messages, and times on the install's clock.
import { dayOf } from '../i18n/dates.js';
import type { Locale, T } from '../i18n/i18n.js';
import { metaErrorText } from '../whatsapp/send-service.js';
import type { MessageRow } from './message-queries.js';
import {
  contactsOf, isMediaType, locationOf, mediaInfo, reactionOf, replyOf, str, systemTextOf, templateOf, unsupportedOf,
  type LocationView, type MediaKind, type ReactionView, type ReplyView, type SharedContactView,
} from './present-content.js';

export type Tick = {
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  /** Visible to screen readers, and the tooltip of the icon. */
  label: string;
  /** Failed only: reason + code, visible text and title. */
  error: string | null;
};

export type MediaView = { kind: MediaKind; url: string | null; state: 'ready' | 'pending' | 'failed'; mime: string | null; fileName: string | null; voice: boolean };

export type MessageView = {
  id: number;
  direction: 'in' | 'out' | 'note';
  kind: 'text' | 'media' | 'location' | 'contacts' | 'reply' | 'reaction' | 'template' | 'system' | 'unsupported' | 'note' | 'order' | 'other';
  text: string | null;
  author: string | null;
  time: string;
  datetime: string;
  fullTime: string;
  day: string;
  /** The day heading shown when a thread crosses midnight. */
  dayText: string;
  /** Who wrote it, for screen readers (the bubbles' side says it visually). */
  who: string;
  media?: MediaView;
  location?: LocationView | null;
  contacts?: SharedContactView[];
  reply?: ReplyView;
  reaction?: ReactionView & { target: string | null };
  template?: { name: string; body: string | null; params: string[] };
  unsupported?: { originalType: string | null; code: number | null };
  tick: Tick | null;
};

export type PresentContext = {
  t: T;
  locale: Locale;
  timeZone: string;
  /** The authenticated URL of a stored media row. */
  mediaUrl: (mediaId: number) => string;
  /** Texts of messages that reactions point at, by wamid. */
  targets?: Map<string, string>;
};

const TICK_STATUSES = new Set(['queued', 'sent', 'delivered', 'read', 'failed']);

export function tickOf(m: MessageRow, t: T): Tick | null {
  if (m.direction !== 'out') return null;
  // 'played' (voice notes) is read and then some; anything unknown shows as queued.
  const status = (m.status === 'played' ? 'read' : TICK_STATUSES.has(m.status) ? m.status : 'queued') as Tick['status'];
  if (status !== 'failed') return { status, label: t(`inbox.tick.${status}`), error: null };
  // The channel's explanation of Meta's code, in the reader's language, with the code itself.
  return { status, label: t('inbox.tick.failed'), error: metaErrorText(t, m.errorCode, m.errorTitle) };
}

function mediaView(m: MessageRow, kind: MediaKind, ctx: PresentContext): { media: MediaView; text: string | null } {
  const info = mediaInfo(m, kind);
  const state = m.media?.status === 'stored' ? 'ready' : m.media?.status === 'failed' ? 'failed' : 'pending';
  return {
    media: { kind, url: state === 'ready' && m.media ? ctx.mediaUrl(m.media.id) : null, state, mime: info.mime, fileName: info.fileName, voice: info.voice },
    text: info.caption,
  };
}

type Body = Pick<MessageView, 'kind' | 'text'> & Partial<MessageView>;

/** Inbound rows keep the parser's content under `content` (beside context/referral): read it at the top level. */
export function flat(m: MessageRow): MessageRow {
  const content = m.payload.content;
  return content && typeof content === 'object' ? { ...m, payload: { ...m.payload, ...(content as Record<string, unknown>) } } : m;
}

function bodyOf(row: MessageRow, ctx: PresentContext): Body {
  const m = flat(row);
  const type = m.direction === 'note' ? 'note' : m.type;
  if (isMediaType(type)) return { kind: 'media', ...mediaView(m, type, ctx) };
  switch (type) {
    case 'note':
    case 'text':
      return { kind: type, text: str(m.body, m.payload.text, (m.payload.text as { body?: string } | undefined)?.body) };
    case 'location':
      return { kind: 'location', text: null, location: locationOf(m.payload) };
    case 'contacts':
      return { kind: 'contacts', text: null, contacts: contactsOf(m.payload) };
    case 'interactive':
    case 'button':
      return { kind: 'reply', text: null, reply: replyOf(m) };
    case 'reaction': {
      const r = reactionOf(m.payload);
      return { kind: 'reaction', text: null, reaction: { ...r, target: r.targetWamid ? ctx.targets?.get(r.targetWamid) ?? null : null } };
    }
    case 'template':
      return { kind: 'template', text: null, template: templateOf(m) };
    case 'system':
      return { kind: 'system', text: systemTextOf(m) };
    case 'order':
      return { kind: 'order', text: str(m.body, m.payload.text) };
    case 'unsupported':
      return { kind: 'unsupported', text: null, unsupported: unsupportedOf(m) };
    default:
      return { kind: 'other', text: m.body };
  }
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(locale: Locale, timeZone: string, full: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${full}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, full ? { dateStyle: 'full', timeStyle: 'short', timeZone } : { hour: '2-digit', minute: '2-digit', timeZone });
    timeFormats.set(key, f);
  }
  return f;
}

function whoOf(m: MessageRow, t: T): string {
  if (m.direction === 'in') return t('inbox.msg.from_customer');
  if (m.direction === 'note') return t('inbox.note.by', { name: m.userName ?? t('inbox.msg.someone') });
  return m.userName ? t('inbox.msg.from_agent', { name: m.userName }) : t('inbox.msg.from_business');
}

export function presentMessage(m: MessageRow, ctx: PresentContext): MessageView {
  return {
    id: m.id,
    direction: m.direction,
    author: m.direction === 'in' ? null : m.userName,
    time: timeFormat(ctx.locale, ctx.timeZone, false).format(m.createdAt),
    fullTime: timeFormat(ctx.locale, ctx.timeZone, true).format(m.createdAt),
    datetime: new Date(m.createdAt).toISOString(),
    day: dayOf(m.createdAt, ctx.timeZone),
    dayText: dayLabel(dayOf(m.createdAt, ctx.timeZone), ctx.locale),
    who: whoOf(m, ctx.t),
    tick: tickOf(m, ctx.t),
    ...bodyOf(m, ctx),
  };
}

/** Day headings ("24 de noviembre de 2026") for the days a page spans. */
export function dayLabel(day: string, locale: Locale): string {
  const [y, mo, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y!, mo! - 1, d!));
}
