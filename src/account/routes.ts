// /account: every signed-in person's own profile, password, sessions and
// two-factor authentication. No permission beyond being signed in.
import { Router, type Request } from 'express';
import type { Deps } from '../deps.js';
import { LOCALES } from '../i18n/i18n.js';
import { parse } from '../web/validate.js';
import { PasswordChangeInput, ProfileInput } from './schema.js';
import { changePassword, otherSessionCount, signOutOtherSessions, updateProfile } from './service.js';
import { accountGuard } from './guard.js';
import { twoFactorRoutes } from './two-factor-routes.js';
import './session.js';

export function accountRoutes(deps: Deps): Router {
  const r = Router();

  async function profilePage(req: Request) {
    const user = req.user!;
    return {
      locales: LOCALES, otherSessions: await otherSessionCount(deps, user.id, req.sessionID),
      values: { name: user.name, locale: user.locale }, title: req.t('account.title'),
    };
  }

  r.get('/account', ...accountGuard, async (req, res) => {
    res.page('account/index', await profilePage(req));
  });

  r.post('/account', ...accountGuard, async (req, res) => {
    res.form('account/index', await profilePage(req));
    const input = parse(ProfileInput, req.body);
    await updateProfile(deps, req.user!, input, req.audit);
    // The flash is rendered on the next request, in the language just chosen.
    req.flash('success', 'account.profile_saved');
    res.redirect('/account');
  });

  const passwordPage = (req: Request) => ({ forced: req.user!.mustChangePassword, title: req.t('account.password.title') });

  r.get('/account/password', ...accountGuard, (req, res) => {
    res.page('account/password', passwordPage(req));
  });

  r.post('/account/password', ...accountGuard, async (req, res) => {
    const forced = req.user!.mustChangePassword;
    res.form('account/password', passwordPage(req));
    const input = parse(PasswordChangeInput, req.body);
    await changePassword(deps, req.user!, input, req.sessionID, req.audit);
    req.flash('success', 'account.password_changed');
    res.redirect(forced ? '/' : '/account');
  });

  r.post('/account/sessions/sign-out-others', ...accountGuard, async (req, res) => {
    const ended = await signOutOtherSessions(deps, req.user!, req.sessionID, req.audit);
    req.flash('success', 'account.sessions_ended', { count: ended });
    res.redirect('/account');
  });

  r.use(twoFactorRoutes(deps));
  return r;
}
