// Where each feature's routers are mounted. A feature adds its line here.
import type { Express } from 'express';
import type { Deps } from '../deps.js';
import { pageRoutes } from '../pages/routes.js';
import { importRoutes } from '../contacts/import/routes.js';
import { exportRoutes } from '../contacts/export/routes.js';
import { gdprRoutes } from '../contacts/gdpr/routes.js';
import { contactsRoutes } from '../contacts/routes.js';
import { apiRouter } from '../api/router.js';
import { auditRoutes } from '../audit/routes.js';
import { apiKeyRoutes } from '../api-keys/routes.js';
import { settingsRoutes } from '../settings/routes.js';
import { usersRoutes } from '../users/routes.js';
import { accountRoutes } from '../account/routes.js';
import { inboxRoutes } from '../inbox/routes.js';
import { channelRoutes } from '../whatsapp/routes.js';
import { calendarRoutes } from '../calendar/routes.js';

/** Routers under /api/v1 (mounted before sessions and CSRF). The Meta webhook is mounted in app.ts, before everything. */
export function mountApi(app: Express, deps: Deps): void {
  app.use('/api', apiRouter(deps));
}

/** Session-authenticated HTML routers. */
export function mountPages(app: Express, deps: Deps): void {
  app.use(pageRoutes(deps));
  app.use(importRoutes(deps), exportRoutes(deps), gdprRoutes(deps)); // before /contacts/:id so /contacts/import is not taken for an id
  app.use(contactsRoutes(deps));
  app.use(settingsRoutes(deps), usersRoutes(deps), accountRoutes(deps));
  app.use(auditRoutes(deps), apiKeyRoutes(deps));
  app.use(inboxRoutes(deps));
  app.use(channelRoutes(deps));
  app.use(calendarRoutes(deps));
}
