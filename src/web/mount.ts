// Where each feature's routers are mounted. A feature adds its line here.
import type { Express } from 'express';
import type { Deps } from '../deps.js';
import { pageRoutes } from '../pages/routes.js';

/** Routers under /api/v1 (mounted before sessions and CSRF). */
export function mountApi(_app: Express, _deps: Deps): void {}

/** Session-authenticated HTML routers. */
export function mountPages(app: Express, deps: Deps): void {
  app.use(pageRoutes(deps));
}
