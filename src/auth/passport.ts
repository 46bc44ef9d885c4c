// One Passport instance per app (no global singleton): local strategy over
// checkPassword, and the session holding only the user id.
import passportPkg from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { auditAs } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { userById } from '../users/queries.js';
import { checkPassword, LoginFailed } from './login.js';

export function createPassport(deps: Deps): passportPkg.PassportStatic {
  const pp = new passportPkg.Passport() as unknown as passportPkg.PassportStatic;
  pp.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      checkPassword(deps, email, password, req.audit ?? auditAs({ userId: null, label: 'anonymous', ip: req.ip ?? null, requestId: null }, deps.clock))
        .then((user) => done(null, user))
        .catch((e) => (e instanceof LoginFailed ? done(null, false, { error: e } as never) : done(e)));
    }),
  );
  pp.serializeUser((user, done) => done(null, (user as Express.User).id));
  pp.deserializeUser((id: number, done) => {
    userById(deps.db, Number(id))
      .then((u) => done(null, u && u.active ? u : false))
      .catch(done);
  });
  return pp;
}
