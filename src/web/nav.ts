import type { Permission } from '../users/permissions.js';

export type NavItem = { href: string; label: string; icon: string; permission: Permission };

export const NAV: NavItem[] = [
  { href: '/', label: 'nav.dashboard', icon: 'home', permission: 'dashboard:read' },
  { href: '/contacts', label: 'nav.contacts', icon: 'users', permission: 'contacts:read' },
  { href: '/inbox', label: 'nav.inbox', icon: 'inbox', permission: 'inbox:read' },
  { href: '/campaigns', label: 'nav.campaigns', icon: 'send', permission: 'campaigns:read' },
  { href: '/templates', label: 'nav.templates', icon: 'file', permission: 'templates:read' },
  { href: '/calendar', label: 'nav.calendar', icon: 'calendar', permission: 'calendar:read' },
  { href: '/reports', label: 'nav.reports', icon: 'chart', permission: 'reports:read' },
  { href: '/settings', label: 'nav.settings', icon: 'settings', permission: 'settings:read' },
];
