// Route guards. Every route states what it needs; nothing is implicit.
import type { RequestHandler } from 'express';
import { Forbidden } from '../errors.js';
import { roleHas, type Permission } from '../users/permissions.js';

const ACCOUNT_PATHS = ['/account', '/logout', '/locale'];

/** Only same-site paths: "//host" and "/\\host" are protocol-relative to browsers. */
function safeNext(url: string): string {
  return url.startsWith('/') && !/^\/[/\\]/.test(url) && !/[\u0000-\u001f]/.test(url) ? url : '/';
}

/** Signed in, active, and not held back by a pending password change or 2FA enrolment. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (!req.user) {
    if (req.method === 'GET') req.session.returnTo = safeNext(req.originalUrl);
    return res.redirect('/login');
  }
  const onAccount = ACCOUNT_PATHS.some((p) => req.path === p || req.path.startsWith(p + '/'));
  if (!onAccount && req.user.mustChangePassword) return res.redirect('/account/password');
  if (!onAccount && res.locals.needs2faEnrolment) return res.redirect('/account/2fa');
  next();
};

/** The user's role must hold `permission` (checked on the server, every route). */
export function can(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new Forbidden());
    if (!roleHas(req.user.role, permission)) return next(new Forbidden('errors.forbidden'));
    next();
  };
}

export { safeNext };
