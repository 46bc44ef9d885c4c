// Factories: an installed app with an owner, and users of any role.
import { auditAs } from '../src/audit/context.js';
import { SYSTEM_ACTOR } from '../src/audit/service.js';
import type { Deps } from '../src/deps.js';
import type { Role } from '../src/users/permissions.js';
import type { User } from '../src/users/queries.js';
import { createUser } from '../src/users/service.js';
import type { HttpClient } from './http.js';

export const PASSWORD = 'Secreto-2026!';
let seq = 0;

export async function completeSetup(client: HttpClient, overrides: Record<string, string> = {}) {
  const form = {
    name: 'Ana Dueña', email: 'ana@clinica.mx', password: PASSWORD, password_confirm: PASSWORD,
    company: 'Clínica Dental Sonrisa', timezone: 'America/Mexico_City', locale: 'es', ...overrides,
  };
  const res = await client.post('/setup', form, { csrfFrom: '/setup' });
  if (res.status !== 302) throw new Error(`setup failed: ${res.status} ${res.text.slice(0, 500)}`);
  return form;
}

export async function makeUser(deps: Deps, role: Role, over: Partial<{ email: string; name: string; locale: 'es' | 'en' }> = {}): Promise<User> {
  seq += 1;
  return createUser(deps, 'system', {
    name: over.name ?? `${role} ${seq}`,
    email: over.email ?? `${role}${seq}@example.com`,
    role,
    locale: over.locale ?? 'es',
    password: PASSWORD,
  }, auditAs(SYSTEM_ACTOR, deps.clock));
}

export async function login(client: HttpClient, email: string, password = PASSWORD) {
  return client.post('/login', { email, password }, { csrfFrom: '/login' });
}
