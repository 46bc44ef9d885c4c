// Per-request context: locale, translator, actor for the audit log, and the
// locals every view may use (brand, user, csrf token, navigation).
import type { RequestHandler } from 'express';
import { auditAs } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { isLocale, LOCALES, negotiate, translator, type Locale } from '../i18n/i18n.js';
import { readSettings } from '../settings/service.js';
import { roleHas } from '../users/permissions.js';
import { NAV } from './nav.js';

/** The menu depends only on the role: computed once per role. */
const navByRole = new Map<string, typeof NAV>();
function navFor(role: Parameters<typeof roleHas>[0]): typeof NAV {
  let nav = navByRole.get(role);
  if (!nav) navByRole.set(role, (nav = NAV.filter((n) => roleHas(role, n.permission))));
  return nav;
}

export function requestContext(deps: Deps, csrfToken: (req: Parameters<RequestHandler>[0]) => string): RequestHandler {
  return async (req, res, next) => {
    const brand = deps.brand.get();
    const settings = await readSettings(deps.db, { timezone: deps.config.timezone, locale: brand.defaultLocale });
    const sessionLocale = req.session?.locale;
    const locale: Locale = req.user?.locale ?? (isLocale(sessionLocale) ? sessionLocale : negotiate(req.get('accept-language'), settings.locale));
    req.locale = locale;
    req.t = translator(deps.catalog, locale);
    req.actor = {
      userId: req.user?.id ?? null,
      label: req.user ? req.user.email : 'anonymous',
      ip: req.ip ?? null,
      requestId: String(req.id),
    };
    req.audit = auditAs(req.actor, deps.clock);
    const user = req.user;
    res.locals.t = req.t;
    res.locals.locale = locale;
    res.locals.locales = LOCALES;
    res.locals.brand = brand;
    res.locals.settings = settings;
    res.locals.user = user ?? null;
    res.locals.path = req.path;
    res.locals.csrfToken = req.session ? csrfToken(req) : '';
    res.locals.can = (p: Parameters<typeof roleHas>[1]) => !!user && roleHas(user.role, p);
    res.locals.nav = user ? navFor(user.role) : [];
    res.locals.needs2faEnrolment = !!user && settings.enforce2faForAdmins && (user.role === 'owner' || user.role === 'admin') && !user.totpEnabled;
    res.locals.values = {};
    res.locals.errors = {};
    next();
  };
}
