// Conversations in the REST API: list (cursor-paginated, filtered by status,
// assignee and number), one conversation with a page of its messages, and
// PATCH for status and assignee (audited under the API key).
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import { IdParams } from '../api/schemas.js';
import { ApiConversation, ApiMessage, presentApiMessage, presentConversation } from './api-present.js';
import { messagesNewestFirst } from './message-queries.js';
import { CONVERSATION_STATUSES } from './schema.js';
import { assign, getConversation, listConversations, setStatus } from './service.js';

const ListQuery = PageQuery.extend({
  status: z.enum(CONVERSATION_STATUSES).optional().meta({ description: 'Only conversations in this status.' }),
  assigned: z.union([z.literal('none'), z.coerce.number().int().positive()]).optional()
    .meta({ description: '`none` for unassigned conversations, or a user id.' }),
  number: z.coerce.number().int().positive().optional().meta({ description: 'Only conversations on this business number (id).' }),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Contact name, e-mail or phone digits contained.' }),
});

const MessagesQuery = PageQuery.extend({}).meta({ description: 'Pages through the messages, newest first.' });

const ConversationWithMessages = ApiConversation.extend({ messages: pageOf(ApiMessage) });

const PatchBody = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assigned_user_id: z.number().int().positive().nullable().optional()
    .meta({ description: 'An active user whose role may reply, or null to unassign.' }),
}).refine((b) => b.status !== undefined || b.assigned_user_id !== undefined, { message: 'validation.required' });

const list: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/conversations', summary: 'List conversations', tags: ['conversations'], scope: 'inbox:read',
    description: 'Most recent activity first, cursor-paginated.',
    query: ListQuery,
    response: pageOf(ApiConversation),
    handler: async ({ query }) => {
      const page = await listConversations(deps, null, {
        status: query.status ?? 'any', numberId: query.number, q: query.q, cursor: query.cursor, limit: query.limit,
        assignedUserId: query.assigned === 'none' ? null : query.assigned,
      });
      const now = deps.clock.now();
      return { data: page.rows.map((c) => presentConversation(c, now)), next_cursor: page.nextCursor };
    },
  });
};

const getOne: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/conversations/{id}', summary: 'Get a conversation and its messages', tags: ['conversations'], scope: 'inbox:read',
    description: 'The conversation with a page of its messages, newest first (`limit`, `cursor` page through them). Internal notes are included with direction `note`.',
    params: IdParams, query: MessagesQuery,
    response: ConversationWithMessages,
    handler: async ({ params, query }) => {
      const c = await getConversation(deps, params.id);
      const before = query.cursor ? decodeCursor(query.cursor).id : undefined;
      const rows = await messagesNewestFirst(deps.db, c.id, query.limit, before);
      const messages = toPage(rows, query.limit, (m) => ({ key: m.id, id: m.id }), presentApiMessage);
      return { ...presentConversation(c, deps.clock.now()), messages };
    },
  });
};

const patch: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'patch', path: '/conversations/{id}', summary: 'Change a conversation’s status or assignee', tags: ['conversations'], scope: 'inbox:reply',
    params: IdParams, body: PatchBody,
    response: ApiConversation,
    handler: async ({ params, body, req }) => {
      let c = await getConversation(deps, params.id);
      if (body.assigned_user_id !== undefined) await assign(deps, c, body.assigned_user_id, req.audit, 'assigned_user_id');
      if (body.status) await setStatus(deps, c, body.status, req.audit);
      c = await getConversation(deps, params.id);
      return presentConversation(c, deps.clock.now());
    },
  });
};

export const conversationsApi: ApiFeature = (apiRoute, deps) => {
  list(apiRoute, deps);
  getOne(apiRoute, deps);
  patch(apiRoute, deps);
};
