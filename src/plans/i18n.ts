import type { Bundle } from '../i18n/i18n.js';

export const messages: Bundle = {
  en: {
    'plan.name.starter': 'Starter',
    'plan.name.professional': 'Professional',
    'plan.name.business': 'Business',
    'plan.name.enterprise': 'Enterprise',
    'plan.limit_reached.contacts': 'Your plan allows {limit} contacts and you have {used}. Upgrade your license to add more.',
    'plan.limit_reached.messages_per_month': 'Your plan allows {limit} messages this month and {used} have been sent. Sending resumes next month or after a license upgrade.',
    'plan.limit_reached.users': 'Your plan allows {limit} active users and you have {used}. Deactivate a user or upgrade your license.',
    'plan.limit_reached.numbers': 'Your plan allows {limit} WhatsApp number(s). Upgrade your license to add more.',
    'plan.limit_reached.custom_fields': 'Your plan allows {limit} custom fields. Upgrade your license to add more.',
  },
  es: {
    'plan.name.starter': 'Inicial',
    'plan.name.professional': 'Profesional',
    'plan.name.business': 'Empresarial',
    'plan.name.enterprise': 'Corporativo',
    'plan.limit_reached.contacts': 'Tu plan permite {limit} contactos y tienes {used}. Mejora tu licencia para añadir más.',
    'plan.limit_reached.messages_per_month': 'Tu plan permite {limit} mensajes este mes y ya se enviaron {used}. Los envíos se reanudan el próximo mes o al mejorar la licencia.',
    'plan.limit_reached.users': 'Tu plan permite {limit} usuarios activos y tienes {used}. Desactiva un usuario o mejora tu licencia.',
    'plan.limit_reached.numbers': 'Tu plan permite {limit} número(s) de WhatsApp. Mejora tu licencia para añadir más.',
    'plan.limit_reached.custom_fields': 'Tu plan permite {limit} campos personalizados. Mejora tu licencia para añadir más.',
  },
};
