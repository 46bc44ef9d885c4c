// Helpers for the contacts-core tests: an installed app with a signed-in user
// of a given role, and a fast seeder that goes through the real writer.
import { auditAs } from '../audit/context.js';
import { SYSTEM_ACTOR } from '../audit/service.js';
import type { Deps } from '../deps.js';
import type { Role } from '../users/permissions.js';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import type { ContactInput } from './schema.js';
import { createContact } from './service.js';

export type Session = { app: TestApp; owner: HttpClient };

/** A fresh install (owner signed in, company in Mexico City so the default country is MX). */
export async function installed(): Promise<Session> {
  const app = await startTestApp();
  const owner = app.client();
  await completeSetup(owner);
  return { app, owner };
}

export async function signedIn(app: TestApp, role: Role, locale: 'es' | 'en' = 'es'): Promise<HttpClient> {
  const u = await makeUser(app.deps, role, { locale });
  const c = app.client();
  const r = await login(c, u.email);
  if (r.status !== 302) throw new Error(`login failed: ${r.status}`);
  return c;
}

export async function seedContact(deps: Deps, input: Partial<ContactInput> & { phone: string }, optIn?: 'opted_in' | 'opted_out') {
  return createContact(deps, SYSTEM_ACTOR, { ...input, opt_in: optIn }, auditAs(SYSTEM_ACTOR, deps.clock));
}

/** Text of the page with tags stripped and whitespace collapsed (for "the page says …" checks). */
export function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
}

/** Contact ids linked from a list page, in order. */
export function listedIds(html: string): number[] {
  return [...html.matchAll(/<a href="\/contacts\/(\d+)"><strong>/g)].map((m) => Number(m[1]));
}

export function nextLink(html: string): string | null {
  const m = /<a class="btn btn-ghost" href="([^"]+)" rel="next">/.exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}
