// Every contacts-core page: the list and bulk actions, tags, one contact,
// segments and Settings → Custom fields. Static paths before /contacts/:id
// (which only takes numeric ids, leaving /contacts/import and
// /contacts/export to their own routers).
import { Router } from 'express';
import type { Deps } from '../deps.js';
import { fieldRoutes } from './fields-routes.js';
import { contactRoutes } from './routes-contact.js';
import { listRoutes } from './routes-list.js';
import { segmentRoutes } from './segments/routes.js';
import { tagRoutes } from './tags-routes.js';

export function contactsRoutes(deps: Deps): Router {
  const r = Router();
  listRoutes(r, deps);
  tagRoutes(r, deps);
  contactRoutes(r, deps);
  segmentRoutes(r, deps);
  fieldRoutes(r, deps);
  return r;
}
