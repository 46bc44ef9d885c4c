// Guards and path parameters shared by the inbox routers.
import type { Request } from 'express';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { Id } from './schema.js';

export const read = [requireUser, can('inbox:read')];
export const reply = [requireUser, can('inbox:reply')];

/** A path id that is not a positive integer is a missing conversation, not a 500. */
export function conversationIdOf(req: Request, name = 'id'): number {
  const r = Id.safeParse(req.params[name]);
  if (!r.success) throw new NotFound('inbox.not_found');
  return r.data;
}
