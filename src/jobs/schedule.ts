// The cron registry: names, schedules and the service each one calls. No
// logic lives here.
import type { KnexSessionStore } from '../auth/session-store.js';
import type { Deps } from '../deps.js';

export type Job = { name: string; cron: string; run(): Promise<unknown> };
export type JobContext = { sessions: KnexSessionStore };

export function jobs(_deps: Deps, ctx: JobContext): Job[] {
  return [{ name: 'sessions.prune', cron: '17 * * * *', run: () => ctx.sessions.prune() }];
}
