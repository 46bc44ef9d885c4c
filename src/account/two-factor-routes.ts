// /account/2fa: enrol (secret kept in the session until a code confirms it),
// recovery codes shown once, regenerate, disable. Mounted by account/routes.ts.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { newTotpSecret } from '../auth/totp.js';
import { parse } from '../web/validate.js';
import { passwordField, TotpCodeInput } from './schema.js';
import {
  confirmEnrolment, disableTwoFactor, enrolmentView, recoveryCodesLeft, regenerateRecoveryCodes, twoFactorRequired,
} from './two-factor.js';
import { accountGuard } from './guard.js';
import './session.js';

// An enrolment left half-done is restarted with a fresh secret after a while.
const ENROL_TTL_MS = 60 * 60_000;

function enrolSecret(deps: Deps, req: Request): string {
  const pending = req.session.totpEnrol;
  if (pending && deps.clock.now() - pending.at < ENROL_TTL_MS) return pending.secret;
  const secret = newTotpSecret();
  req.session.totpEnrol = { secret, at: deps.clock.now() };
  return secret;
}

/** The 2FA page: enrolment while off, recovery codes and switch-off while on. */
async function page(deps: Deps, req: Request, res: Response) {
  const user = req.user!;
  const base = {
    enabled: user.totpEnabled, required: await twoFactorRequired(deps, user.role),
    mustEnrol: !!res.locals.needs2faEnrolment, title: req.t('account.2fa.title'),
  };
  if (user.totpEnabled) return { ...base, codesLeft: await recoveryCodesLeft(deps, user), enrol: null };
  return { ...base, codesLeft: 0, enrol: await enrolmentView(deps, user, enrolSecret(deps, req)) };
}

function enrolment(r: Router, deps: Deps): void {
  r.get('/account/2fa', ...accountGuard, async (req, res) => {
    res.page('account/two-factor', await page(deps, req, res));
  });

  r.post('/account/2fa/enable', ...accountGuard, async (req, res) => {
    res.form('account/two-factor', await page(deps, req, res));
    const { code } = parse(TotpCodeInput, req.body);
    const codes = await confirmEnrolment(deps, req.user!, enrolSecret(deps, req), code, req.audit);
    delete req.session.totpEnrol;
    req.session.recoveryCodesOnce = codes;
    req.flash('success', 'account.2fa_enabled');
    res.redirect('/account/2fa/recovery-codes');
  });
}

function whileOn(r: Router, deps: Deps): void {
  r.get('/account/2fa/recovery-codes', ...accountGuard, (req, res) => {
    const codes = req.session.recoveryCodesOnce;
    if (!codes) return res.redirect('/account/2fa');
    delete req.session.recoveryCodesOnce; // shown once; the session row forgets them on save
    res.page('account/recovery-codes', { codes, title: req.t('account.codes.title') });
  });

  r.post('/account/2fa/recovery-codes', ...accountGuard, async (req, res) => {
    res.form('account/two-factor', await page(deps, req, res));
    const input = parse(passwordField('regen_password'), req.body);
    req.session.recoveryCodesOnce = await regenerateRecoveryCodes(deps, req.user!, String(input.regen_password), req.audit);
    req.flash('success', 'account.codes_regenerated');
    res.redirect('/account/2fa/recovery-codes');
  });

  r.post('/account/2fa/disable', ...accountGuard, async (req, res) => {
    res.form('account/two-factor', await page(deps, req, res));
    const input = parse(passwordField('disable_password'), req.body);
    await disableTwoFactor(deps, req.user!, String(input.disable_password), req.audit);
    req.flash('success', 'account.2fa_disabled');
    res.redirect('/account/2fa');
  });
}

export function twoFactorRoutes(deps: Deps): Router {
  const r = Router();
  enrolment(r, deps);
  whileOn(r, deps);
  return r;
}
