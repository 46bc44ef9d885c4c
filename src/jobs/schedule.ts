// The cron registry: names, schedules and the service each one calls. No
// logic lives here.
import type { KnexSessionStore } from '../auth/session-store.js';
import type { Deps } from '../deps.js';
import { syncTemplates } from '../whatsapp/templates-sync.js';
import { pruneWebhookEvents } from '../whatsapp/webhook-worker.js';
import { pruneAbandonedUploads } from '../contacts/import/service.js';

export type Job = { name: string; cron: string; run(): Promise<unknown> };
export type JobContext = { sessions: KnexSessionStore };

export function jobs(deps: Deps, ctx: JobContext): Job[] {
  return [
    { name: 'sessions.prune', cron: '17 * * * *', run: () => ctx.sessions.prune() },
    { name: 'whatsapp.templates.sync', cron: '23 3 * * *', run: () => syncTemplates(deps) },
    { name: 'whatsapp.webhooks.prune', cron: '41 4 * * *', run: () => pruneWebhookEvents(deps) },
    { name: 'contacts.import.prune_uploads', cron: '41 * * * *', run: () => pruneAbandonedUploads(deps) },
  ];
}
