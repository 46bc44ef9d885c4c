// Login (password, then the second factor when enabled), logout, language.
import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { PassportStatic } from 'passport';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isLocale } from '../i18n/i18n.js';
import { updateUserRow, userById, type User } from '../users/queries.js';
import { safeNext } from '../web/guards.js';
import { LoginFailed, recordLogin } from './login.js';
import { verifySecondFactor } from './totp.js';

export type LoginLimits = { perIp: number; perAccount: number; windowMs: number };
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 30, perAccount: 10, windowMs: 15 * 60_000 };

const PENDING_2FA_MS = 5 * 60_000;

function logIn(req: Request, user: User): Promise<void> {
  return new Promise((resolve, reject) => req.logIn(user, (e) => (e ? reject(e) : resolve())));
}

function renderLogin(req: Request, res: Parameters<Parameters<Router['get']>[1]>[1], status: number, error?: string) {
  res.page('auth/login', { values: { email: req.body?.email ?? '' }, error }, { layout: 'auth', status });
}

export function authRoutes(deps: Deps, passport: PassportStatic, limits: LoginLimits): Router {
  const r = Router();
  const limited = (key: (req: Request) => string, limit: number) =>
    rateLimit({
      windowMs: limits.windowMs, limit, standardHeaders: 'draft-8', legacyHeaders: false,
      keyGenerator: key,
      handler: (req, res) => renderLogin(req, res, 429, req.t('errors.rate_limited')),
    });
  const perIp = limited((req) => `ip:${ipKeyGenerator(req.ip ?? '')}`, limits.perIp);
  const perAccount = limited((req) => `acct:${String(req.body?.email ?? '').trim().toLowerCase()}`, limits.perAccount);

  r.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    renderLogin(req, res, 200);
  });

  r.post('/login', perIp, perAccount, (req, res, next) => {
    passport.authenticate('local', async (err: unknown, user: User | false, info?: { error?: LoginFailed }) => {
      try {
        if (err) return next(err);
        if (!user) {
          const e = info?.error;
          return renderLogin(req, res, 401, req.t(e?.code ?? 'auth.invalid_credentials', e?.params));
        }
        const next2 = safeNext(req.session.returnTo ?? '/');
        if (user.totpEnabled) {
          req.session.pending2fa = { userId: user.id, next: next2, at: deps.clock.now() };
          return res.redirect('/login/2fa');
        }
        await logIn(req, user);
        await recordLogin(deps, user, req.audit);
        res.redirect(next2);
      } catch (e) {
        next(e);
      }
    })(req, res, next);
  });

  r.get('/login/2fa', (req, res) => {
    if (!req.session.pending2fa) return res.redirect('/login');
    res.page('auth/two-factor', {}, { layout: 'auth' });
  });

  r.post('/login/2fa', perIp, async (req, res) => {
    const pending = req.session.pending2fa;
    if (!pending || deps.clock.now() - pending.at > PENDING_2FA_MS) {
      delete req.session.pending2fa;
      req.flash('error', 'auth.2fa_expired');
      return res.redirect('/login');
    }
    const code = z.string().max(40).catch('').parse(req.body?.code);
    const method = await verifySecondFactor(deps.db, deps.secrets.encryptionKey, pending.userId, code, deps.clock.now());
    const user = await userById(deps.db, pending.userId);
    if (!method || !user || !user.active) {
      await req.audit(deps.db, { action: 'auth.2fa_failed', entityType: 'user', entityId: pending.userId });
      return res.page('auth/two-factor', { error: req.t('auth.2fa_invalid') }, { layout: 'auth', status: 401 });
    }
    await logIn(req, user);
    await recordLogin(deps, user, req.audit);
    if (method === 'recovery') {
      await req.audit(deps.db, { action: 'auth.recovery_code_used', entityType: 'user', entityId: user.id });
      req.flash('warning', 'auth.recovery_used');
    }
    res.redirect(pending.next);
  });

  r.post('/logout', (req, res, next) => {
    const user = req.user;
    const done = user ? req.audit(deps.db, { action: 'auth.logout', entityType: 'user', entityId: user.id }) : Promise.resolve();
    done.then(() => req.logOut((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.clearCookie('chatflow.sid');
        res.redirect('/login');
      });
    }), next);
  });

  r.post('/locale', async (req, res) => {
    const locale = req.body?.locale;
    if (isLocale(locale)) {
      if (req.user) await updateUserRow(deps.db, req.user.id, { locale }, deps.clock.now());
      else req.session.locale = locale;
    }
    const back = typeof req.body?.back === 'string' ? safeNext(req.body.back) : '/';
    res.redirect(back);
  });

  return r;
}
