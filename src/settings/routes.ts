// Settings: the hub linking every settings area the role may open, General
// (company, timezone, default language) and Security (2FA enforcement).
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { LOCALES } from '../i18n/i18n.js';
import { roleHas, type Permission } from '../users/permissions.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { adminsWithout2fa, saveGeneralSettings, saveSecuritySettings } from './admin-service.js';
import { GeneralSettingsInput, SecuritySettingsInput, timezoneOptions } from './schema.js';
import type { InstallSettings } from './service.js';

type Card = { href: string; key: string; icon: string; permission: Permission };

// API keys and the audit log are built by their own features; the hub only links them.
const CARDS: Card[] = [
  { href: '/settings/general', key: 'general', icon: 'settings', permission: 'settings:write' },
  { href: '/settings/users', key: 'users', icon: 'users', permission: 'users:read' },
  { href: '/settings/fields', key: 'fields', icon: 'file', permission: 'settings:write' },
  { href: '/settings/whatsapp', key: 'whatsapp', icon: 'inbox', permission: 'numbers:manage' },
  { href: '/settings/auto-replies', key: 'auto_replies', icon: 'send', permission: 'numbers:manage' },
  { href: '/settings/quick-replies', key: 'quick_replies', icon: 'file', permission: 'templates:write' },
  { href: '/settings/security', key: 'security', icon: 'settings', permission: 'settings:read' },
  { href: '/settings/api-keys', key: 'api_keys', icon: 'file', permission: 'apikeys:manage' },
  { href: '/settings/audit', key: 'audit', icon: 'chart', permission: 'audit:read' },
];

const current = (res: Response) => res.locals.settings as InstallSettings;

export function settingsRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/settings', requireUser, can('settings:read'), (req, res) => {
    const cards = CARDS.filter((c) => roleHas(req.user!.role, c.permission));
    res.page('settings/index', { cards, title: req.t('nav.settings') });
  });
  general(r, deps);
  security(r, deps);
  return r;
}

function general(r: Router, deps: Deps): void {
  const generalPage = (req: Request, res: Response) => ({
    timezones: timezoneOptions(current(res).timezone), locales: LOCALES, title: req.t('settings.general.title'),
  });

  r.get('/settings/general', requireUser, can('settings:write'), (req, res) => {
    const s = current(res);
    res.page('settings/general', { ...generalPage(req, res), values: { companyName: s.companyName, timezone: s.timezone, locale: s.locale } });
  });

  r.post('/settings/general', requireUser, can('settings:write'), async (req, res) => {
    res.form('settings/general', generalPage(req, res));
    const input = parse(GeneralSettingsInput, req.body);
    const changed = await saveGeneralSettings(deps, current(res), input, req.audit);
    req.flash(changed ? 'success' : 'info', changed ? 'settings.saved' : 'settings.unchanged');
    res.redirect('/settings/general');
  });
}

function security(r: Router, deps: Deps): void {
  r.get('/settings/security', requireUser, can('settings:read'), async (req, res) => {
    const pending = await adminsWithout2fa(deps);
    res.page('settings/security', {
      enforced: current(res).enforce2faForAdmins, pending, mayManage: roleHas(req.user!.role, 'security:manage'),
      title: req.t('settings.security.title'),
    });
  });

  r.post('/settings/security', requireUser, can('security:manage'), async (req, res) => {
    const input = parse(SecuritySettingsInput, req.body);
    const changed = await saveSecuritySettings(deps, current(res), input, req.audit);
    req.flash(changed ? 'success' : 'info', changed ? 'settings.saved' : 'settings.unchanged');
    res.redirect('/settings/security');
  });
}
