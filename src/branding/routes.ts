// The active brand's theme (derived palette as CSS variables), logo and favicon.
import { Router } from 'express';
import type { Deps } from '../deps.js';

export function brandRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/theme.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'no-cache').send(deps.brand.get().themeCss);
  });
  for (const [route, field] of [['/logo', 'logoFile'], ['/favicon', 'faviconFile']] as const) {
    r.get(route, (_req, res) => {
      const file = deps.brand.get()[field];
      if (!file) return res.status(404).end();
      res.set('Cache-Control', 'no-cache').sendFile(file);
    });
  }
  return r;
}
