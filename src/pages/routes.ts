// Dashboard and the areas a later release will bring. Those say so plainly.
import { Router } from 'express';
import type { Deps } from '../deps.js';
import { can, requireUser } from '../web/guards.js';
import type { Permission } from '../users/permissions.js';

const LATER: Array<{ path: string; label: string; permission: Permission }> = [
  { path: '/campaigns', label: 'nav.campaigns', permission: 'campaigns:read' },
  { path: '/reports', label: 'nav.reports', permission: 'reports:read' },
];

export function pageRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/', requireUser, can('dashboard:read'), async (req, res) => {
    const plan = await deps.plans.entitlement();
    res.page('pages/dashboard', { plan });
  });
  for (const area of LATER) {
    r.get(area.path, requireUser, can(area.permission), (req, res) => {
      res.page('pages/coming-soon', { area: req.t(area.label) });
    });
  }
  return r;
}
