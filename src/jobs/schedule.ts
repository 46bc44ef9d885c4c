// The cron registry: names, schedules and the service each one calls. No
// logic lives here.
import type { KnexSessionStore } from '../auth/session-store.js';
import type { Deps } from '../deps.js';
import { syncTemplates } from '../whatsapp/templates-sync.js';

export type Job = { name: string; cron: string; run(): Promise<unknown> };
export type JobContext = { sessions: KnexSessionStore };

export function jobs(deps: Deps, ctx: JobContext): Job[] {
  return [
    { name: 'sessions.prune', cron: '17 * * * *', run: () => ctx.sessions.prune() },
    { name: 'whatsapp.templates.sync', cron: '23 3 * * *', run: () => syncTemplates(deps) },
  ];
}
