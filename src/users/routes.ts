// Settings → Users: list, invite, edit, and the account actions an admin takes
// for someone else. Handlers stay thin; rules live in service.ts/admin-service.ts.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { LOCALES } from '../i18n/i18n.js';
import type { InstallSettings } from '../settings/service.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { inviteUser, isLocked, resetUserPassword, signOutEverywhere, unlockUser, usersOverview } from './admin-service.js';
import { assignableRoles, ROLES } from './permissions.js';
import { lastSignIn, roleBadge, roleChoices, statusBadges, userRows } from './present.js';
import type { User } from './queries.js';
import { InviteUserInput, UpdateUserInput, USER_STATUSES, UserId, UserListQuery } from './schema.js';
import { assertMayManage, getUser, setActive, updateUser } from './service.js';
import './session.js';

const BASE = '/settings/users';

function idOf(req: Request): number {
  const r = UserId.safeParse(req.params.id);
  if (!r.success) throw new NotFound('users.not_found');
  return r.data;
}

const read = [requireUser, can('users:read')];
const write = [requireUser, can('users:write')];

/** The manage page's data; also what a rejected edit re-renders with. */
function managePage(deps: Deps, req: Request, res: Response, target: User) {
  const actor = req.user!;
  const now = deps.clock.now();
  return {
    target, isSelf: target.id === actor.id, roles: roleChoices(actor, target), locales: LOCALES,
    roleBadge: roleBadge(target.role), badges: statusBadges(target, now), locked: isLocked(target, now),
    lastLogin: lastSignIn(target.lastLoginAt, req.locale, (res.locals.settings as InstallSettings).timezone),
    values: { name: target.name, email: target.email, role: target.role, locale: target.locale },
    title: target.name,
  };
}

/** List, invite, and the one-time display of a temporary password. */
function listAndInvite(r: Router, deps: Deps): void {
  r.get(BASE, ...read, async (req, res) => {
    const filter = parse(UserListQuery, req.query);
    const o = await usersOverview(deps, filter);
    const rows = userRows(o.users, req.user!, deps.clock.now(), req.locale, res.locals.settings.timezone);
    const atLimit = o.limit !== null && o.used >= o.limit;
    res.page('users/index', { rows, filter, roles: ROLES, statuses: USER_STATUSES, used: o.used, limit: o.limit, atLimit, title: req.t('users.title') });
  });

  r.get(`${BASE}/new`, ...write, async (req, res) => {
    const [used, limit] = await Promise.all([deps.plans.usage('users'), deps.plans.limit('users')]);
    res.page('users/new', {
      roles: assignableRoles(req.user!.role), locales: LOCALES, atLimit: limit !== null && used >= limit, limit,
      values: { role: 'agent', locale: res.locals.settings.locale }, title: req.t('users.new.title'),
    });
  });

  r.post(BASE, ...write, async (req, res) => {
    res.form('users/new', { roles: assignableRoles(req.user!.role), locales: LOCALES, atLimit: false, title: req.t('users.new.title') });
    const input = parse(InviteUserInput, req.body);
    const { user, password } = await inviteUser(deps, req.user!, input, req.audit);
    req.session.issuedPassword = { userId: user.id, password, reason: 'created' };
    req.flash('success', 'users.created', { name: user.name });
    res.redirect(`${BASE}/${user.id}/credentials`);
  });

  r.get(`${BASE}/:id/credentials`, ...write, async (req, res) => {
    const target = await getUser(deps, idOf(req));
    assertMayManage(req.user!, target);
    const issued = req.session.issuedPassword?.userId === target.id ? req.session.issuedPassword : undefined;
    delete req.session.issuedPassword; // shown once, then gone from the session store too
    res.page('users/credentials', { target, issued: issued ?? null, title: req.t('users.credentials.title') });
  });

}

function editing(r: Router, deps: Deps): void {
  r.get(`${BASE}/:id`, ...write, async (req, res) => {
    const target = await getUser(deps, idOf(req));
    assertMayManage(req.user!, target);
    res.page('users/edit', managePage(deps, req, res, target));
  });

  r.post(`${BASE}/:id`, ...write, async (req, res) => {
    const target = await getUser(deps, idOf(req));
    assertMayManage(req.user!, target);
    res.form('users/edit', managePage(deps, req, res, target));
    const input = parse(UpdateUserInput, req.body);
    const u = await updateUser(deps, req.user!, target.id, input, req.audit);
    req.flash('success', 'users.updated', { name: u.name });
    res.redirect(`${BASE}/${u.id}`);
  });

}

/** Account actions on someone else: each POSTs, flashes and returns to the manage page. */
function accountActions(r: Router, deps: Deps): void {
  const action = (path: string, run: (req: Request, id: number) => Promise<string>) =>
    r.post(`${BASE}/:id/${path}`, ...write, async (req, res) => {
      const id = idOf(req);
      const target = await getUser(deps, id);
      const message = await run(req, id);
      req.flash('success', message, { name: target.name });
      res.redirect(path === 'reset-password' ? `${BASE}/${id}/credentials` : `${BASE}/${id}`);
    });

  action('deactivate', async (req, id) => (await setActive(deps, req.user!, id, false, req.audit), 'users.deactivated'));
  action('reactivate', async (req, id) => (await setActive(deps, req.user!, id, true, req.audit), 'users.reactivated'));
  action('unlock', async (req, id) => (await unlockUser(deps, req.user!, id, req.audit), 'users.unlocked'));
  action('sign-out', async (req, id) => (await signOutEverywhere(deps, req.user!, id, req.audit), 'users.signed_out'));
  action('reset-password', async (req, id) => {
    const { password } = await resetUserPassword(deps, req.user!, id, req.audit);
    req.session.issuedPassword = { userId: id, password, reason: 'reset' };
    return 'users.password_reset';
  });

}

export function usersRoutes(deps: Deps): Router {
  const r = Router();
  listAndInvite(r, deps);
  editing(r, deps);
  accountActions(r, deps);
  return r;
}
