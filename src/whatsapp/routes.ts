// Every session-authenticated page of the WhatsApp channel, mounted by one line in src/web/mount.ts.
import { Router } from 'express';
import type { Deps } from '../deps.js';
import { autoRepliesRoutes } from './auto-replies-routes.js';
import { mediaRoutes } from './media-routes.js';
import { numbersRoutes } from './numbers-routes.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { templatesRoutes } from './templates-routes.js';

export function channelRoutes(deps: Deps): Router {
  const r = Router();
  r.use(numbersRoutes(deps), templatesRoutes(deps), sandboxRoutes(deps), autoRepliesRoutes(deps), mediaRoutes(deps));
  return r;
}
