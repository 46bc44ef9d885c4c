// The inbox page's data: the conversation list (left) and, when one is open,
// its thread, composer and contact panel. Shared by the GET pages, the 422
// re-render of a refused action and the list fragment of live updates.
import type { Request, Response } from 'express';
import type { Deps } from '../deps.js';
import type { InstallSettings } from '../settings/service.js';
import { conversationItems, filterQuery, type ConversationItem } from './present-list.js';
import { numberOptions, unreadConversationCount, type Conversation, type NumberOption } from './queries.js';
import { CONVERSATION_STATUSES, LIST_VIEWS, ListQuery } from './schema.js';
import { listConversations } from './service.js';
import { threadData, type ThreadData, type ThreadOptions, type Viewer } from './thread.js';

export const LIST_PAGE_SIZE = 30;

export function viewerOf(req: Request, res: Response): Viewer {
  const s = res.locals.settings as InstallSettings;
  return { user: req.user!, t: req.t, locale: req.locale, timeZone: s.timezone, company: s.companyName };
}

export type ListData = {
  items: ConversationItem[];
  filter: ListQuery;
  /** The filters as a query string ('' or '?view=mine&…'), carried by every link and form. */
  qs: string;
  nextHref: string | null;
  firstHref: string | null;
  numbers: NumberOption[];
  unread: number;
  activeId: number | null;
};

export async function listData(deps: Pick<Deps, 'db' | 'clock'>, v: Viewer, filter: ListQuery, activeId: number | null = null): Promise<ListData> {
  const [page, numbers, unread] = await Promise.all([
    listConversations(deps, v.user.id, { ...filter, numberId: filter.number, limit: LIST_PAGE_SIZE }),
    numberOptions(deps.db),
    unreadConversationCount(deps.db),
  ]);
  const base = filterQuery(filter);
  const join = base ? '&' : '?';
  return {
    items: conversationItems(page.rows, filter, deps.clock.now(), v.locale, v.timeZone),
    filter, qs: filterQuery(filter, true), numbers, unread, activeId,
    nextHref: page.nextCursor ? `/inbox${base}${join}cursor=${encodeURIComponent(page.nextCursor)}` : null,
    firstHref: filter.cursor ? `/inbox${base}` : null,
  };
}

/** The list filters travel through POST forms as `back`: a query string we made, re-parsed, never trusted. */
export function filterFromBack(back: unknown): ListQuery {
  const s = typeof back === 'string' && back.startsWith('?') && back.length < 700 ? back.slice(1) : '';
  return ListQuery.parse(Object.fromEntries(new URLSearchParams(s)));
}

export type InboxPage = {
  list: ListData;
  thread: ThreadData | null;
  statuses: typeof CONVERSATION_STATUSES;
  views: typeof LIST_VIEWS;
  title: string;
};

export async function inboxPage(deps: Pick<Deps, 'db' | 'clock'>, v: Viewer, filter: ListQuery, conv?: Conversation, o?: ThreadOptions): Promise<InboxPage> {
  const [list, thread] = await Promise.all([
    listData(deps, v, filter, conv?.id ?? null),
    conv ? threadData(deps, conv, v, o) : Promise.resolve(null),
  ]);
  const title = conv ? `${conv.contactName} · ${v.t('inbox.title')}` : v.t('inbox.title');
  return { list, thread, statuses: CONVERSATION_STATUSES, views: LIST_VIEWS, title };
}
