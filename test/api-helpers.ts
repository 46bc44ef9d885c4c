// Helpers for REST API tests: keys made through the same service as the CLI,
// and bearer requests.
import { auditAs } from '../src/audit/context.js';
import { CLI_ACTOR } from '../src/audit/service.js';
import { createApiKey } from '../src/api-keys/service.js';
import type { Deps } from '../src/deps.js';
import type { Permission } from '../src/users/permissions.js';
import type { HttpClient, Res } from './http.js';

export async function newKey(deps: Deps, scopes: Permission[], opts: { name?: string; rateLimit?: number } = {}) {
  return createApiKey(deps, 'cli', { name: opts.name ?? 'test key', scopes, rate_limit: opts.rateLimit }, auditAs(CLI_ACTOR, deps.clock));
}

export function bearer(secret: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${secret}`, ...extra };
}

export type Envelope = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** GET with a key; parses JSON. */
export async function apiGet(c: HttpClient, path: string, secret: string, headers: Record<string, string> = {}): Promise<Res> {
  return c.request('GET', path, { headers: bearer(secret, headers) });
}
