// GET /metrics: off unless CHATFLOW_METRICS_TOKEN is set (then `Authorization:
// Bearer <token>`), or for a signed-in owner/admin.
import crypto from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Deps } from '../deps.js';
import { Forbidden, NotFound } from '../errors.js';
import { roleHas } from '../users/permissions.js';
import type { Metrics } from './registry.js';

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

/** Counts every response by status class; mounted early. */
export function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ method: req.method, status: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  };
}

export function metricsRoutes(deps: Deps, metrics: Metrics): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    const token = deps.config.metricsToken;
    const byToken = !!token && tokenMatches(req.get('authorization'), token);
    const byAdmin = !!req.user && roleHas(req.user.role, 'settings:read');
    if (!byToken && !byAdmin) {
      if (!token && !req.user) throw new NotFound();
      throw new Forbidden();
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
