// Prometheus metrics. One registry per app instance (no global default
// registry), so several apps in one process (tests) don't collide.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Deps } from '../deps.js';

export type Metrics = { registry: Registry; httpRequests: Counter<'method' | 'status'> };

export function createMetrics(deps: Pick<Deps, 'plans'>): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'chatflow' });
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'chatflow_http_requests_total',
    help: 'HTTP requests served, by method and status class',
    labelNames: ['method', 'status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'chatflow_license_days_left',
    help: 'Days left in the current license or trial period',
    registers: [registry],
    async collect() {
      this.set((await deps.plans.entitlement()).daysLeft);
    },
  });
  return { registry, httpRequests };
}
