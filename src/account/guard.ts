// Guards shared by every /account route.
import type { NextFunction, Request, Response } from 'express';
import { requireUser } from '../web/guards.js';

/** While a temporary password is pending, the only account page is the one that replaces it. */
function passwordFirst(req: Request, res: Response, next: NextFunction) {
  if (req.user?.mustChangePassword && req.path !== '/account/password') return res.redirect('/account/password');
  next();
}

/** Every /account route: signed in, and a pending temporary password replaced first. */
export const accountGuard = [requireUser, passwordFirst];
