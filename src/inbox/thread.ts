// Everything the thread pane shows, assembled once for the page, the 422
// re-render of a refused send and the live-update fragments.
import type { Deps } from '../deps.js';
import type { Locale, T } from '../i18n/i18n.js';
import type { User } from '../users/queries.js';
import { roleHas } from '../users/permissions.js';
import { composerView, type ComposerView } from './composer.js';
import { contactPanel, type ContactPanel } from './contact-panel.js';
import { bodiesByWamid, threadPage, type MessageRow } from './message-queries.js';
import { flat, presentMessage, type MessageView, type PresentContext } from './present-message.js';
import { reactionOf } from './present-content.js';
import type { Conversation } from './queries.js';
import type { QuickReplyVars } from './quick-replies.js';
import { agentOptions, type AgentOption } from './service.js';

export const THREAD_PAGE_SIZE = 50;

/** Where stored media is served to signed-in staff (the channel's authenticated media route). */
export const mediaUrl = (mediaId: number) => `/media/${mediaId}`;

export type Viewer = { user: User; t: T; locale: Locale; timeZone: string; company: string };

export type ThreadData = {
  conversation: Conversation;
  messages: MessageView[];
  olderHref: string | null;
  lastId: number;
  /** Live updates append to the newest page only, not to an older page being read. */
  live: boolean;
  composer: ComposerView;
  contact: ContactPanel | null;
  agents: AgentOption[];
  mayReply: boolean;
};

/** Reactions name their target by wamid; fetch those texts in one query. */
export async function presentRows(deps: Pick<Deps, 'db'>, rows: MessageRow[], v: Viewer): Promise<MessageView[]> {
  const wamids = rows.filter((m) => m.type === 'reaction').map((m) => reactionOf(flat(m).payload).targetWamid).filter((w): w is string => !!w);
  const ctx: PresentContext = { t: v.t, locale: v.locale, timeZone: v.timeZone, mediaUrl, targets: await bodiesByWamid(deps.db, wamids) };
  return rows.map((m) => presentMessage(m, ctx));
}

export function quickReplyVars(contact: ContactPanel | null, c: Conversation, v: Viewer): QuickReplyVars {
  return {
    contact: {
      firstName: contact?.firstName ?? null, lastName: contact?.lastName ?? null, name: contact?.name ?? c.contactName,
      phone: contact?.phone ?? c.contactPhone, email: contact?.email ?? null, custom: contact?.custom ?? {},
    },
    agentName: v.user.name,
    company: v.company,
  };
}

export type ThreadOptions = { before?: number; templateId?: number; values?: Record<string, unknown> };

export async function threadData(deps: Pick<Deps, 'db' | 'clock'>, c: Conversation, v: Viewer, o: ThreadOptions = {}): Promise<ThreadData> {
  const mayReply = roleHas(v.user.role, 'inbox:reply');
  const [page, contact, agents] = await Promise.all([
    threadPage(deps.db, c.id, THREAD_PAGE_SIZE, o.before),
    contactPanel(deps.db, c.contactId, v.locale, v.timeZone, { now: deps.clock.now(), t: v.t }),
    mayReply ? agentOptions(deps) : Promise.resolve([]),
  ]);
  const composer = await composerView(deps, {
    conversation: c, mayReply, t: v.t, vars: quickReplyVars(contact, c, v), templateId: o.templateId, values: o.values,
  });
  const messages = await presentRows(deps, page.messages, v);
  return {
    conversation: c, messages, contact, agents, mayReply, composer,
    olderHref: page.olderId ? `/inbox/${c.id}?before=${page.olderId}` : null,
    lastId: page.messages.length ? page.messages[page.messages.length - 1]!.id : 0,
    live: !o.before,
  };
}
