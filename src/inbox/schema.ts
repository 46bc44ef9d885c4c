// Inputs of the inbox: list filters (GET forms: bad values are ignored), and
// the forms that change a conversation (bad values are field errors).
import { z } from 'zod';

export const CONVERSATION_STATUSES = ['open', 'pending', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Which conversations a list shows by owner: everyone's, the viewer's, or nobody's. */
export const LIST_VIEWS = ['all', 'mine', 'unassigned'] as const;
export type ListView = (typeof LIST_VIEWS)[number];

export const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const ListQuery = z.object({
  view: z.enum(LIST_VIEWS).catch('all').default('all'),
  status: z.enum([...CONVERSATION_STATUSES, 'any']).catch('open').default('open'),
  number: Id.optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** The thread's paging: `before` = the oldest message id already shown. */
export const ThreadQuery = z.object({
  before: Id.optional().catch(undefined),
  after: Id.optional().catch(undefined),
  qr: Id.optional().catch(undefined),
  template: Id.optional().catch(undefined),
});
export type ThreadQuery = z.infer<typeof ThreadQuery>;

export const StatusInput = z.object({ status: z.enum(CONVERSATION_STATUSES) });

/** '' in the select means "nobody". */
export const AssignInput = z.object({
  assignee: z.union([z.literal('').transform(() => null), Id]),
});

export const NoteInput = z.object({ body: z.string().trim().min(1).max(4000) });

export const TextInput = z.object({ body: z.string().trim().min(1).max(4096) });

/** Template sends: the chosen template and its variables as `var_<name>` fields. */
export const TemplateInput = z.object({
  template_id: Id,
});

export const QuickReplyInput = z.object({
  shortcut: z.string().trim().toLowerCase().min(1).max(40).regex(/^[a-z0-9_-]+$/, 'inbox.qr.shortcut_format'),
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(4096),
});
export type QuickReplyInput = z.infer<typeof QuickReplyInput>;
