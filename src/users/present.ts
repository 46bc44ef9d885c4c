// Turns User objects into what the users views show: badges, a readable last
// sign-in in the install's timezone, and which actions the viewer may take.
import { formatDateTime } from '../i18n/dates.js';
import type { Locale } from '../i18n/i18n.js';
import { isLocked } from './admin-service.js';
import { assignableRoles, type Role } from './permissions.js';
import type { User } from './queries.js';

export type Badge = { kind: 'info' | 'success' | 'warning' | 'danger' | 'neutral'; key: string };

export function lastSignIn(d: Date | null, locale: Locale, timeZone: string): string | null {
  return d ? formatDateTime(d, locale, timeZone) : null;
}

export function roleBadge(role: Role): Badge {
  return { kind: role === 'owner' || role === 'admin' ? 'info' : 'neutral', key: `users.role.${role}` };
}

export function statusBadges(u: User, now: number): Badge[] {
  const out: Badge[] = [];
  if (!u.active) out.push({ kind: 'warning', key: 'users.badge.inactive' });
  if (isLocked(u, now)) out.push({ kind: 'danger', key: 'users.badge.locked' });
  if (u.totpEnabled) out.push({ kind: 'success', key: 'users.badge.2fa' });
  if (u.mustChangePassword) out.push({ kind: 'neutral', key: 'users.badge.must_change' });
  return out;
}

/** May `actor` open the manage page of `target`? Mirrors assertMayManage without throwing. */
export function mayManage(actor: User, target: User): boolean {
  if (actor.id === target.id) return true;
  if (target.role === 'owner') return false;
  return actor.role === 'owner' || target.role !== 'admin';
}

export type UserRowView = {
  id: number; name: string; email: string; role: Badge; badges: Badge[]; lastLogin: string | null; isSelf: boolean; manageable: boolean;
};

export function userRows(users: User[], actor: User, now: number, locale: Locale, tz: string): UserRowView[] {
  return users.map((u) => ({
    id: u.id, name: u.name, email: u.email, role: roleBadge(u.role), badges: statusBadges(u, now),
    lastLogin: lastSignIn(u.lastLoginAt, locale, tz), isSelf: u.id === actor.id, manageable: mayManage(actor, u),
  }));
}

/** Role choices on the edit form: a fixed role (own, or the owner's) is shown, not offered. */
export function roleChoices(actor: User, target: User | null): Role[] {
  if (target && (target.id === actor.id || target.role === 'owner')) return [target.role];
  const roles = assignableRoles(actor.role);
  return target && !roles.includes(target.role) ? [target.role, ...roles] : roles;
}
