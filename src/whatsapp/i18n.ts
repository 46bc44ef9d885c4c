// Strings of the WhatsApp channel (numbers, templates, sandbox phone,
// auto-replies, send refusals). Meta's error texts live in i18n-meta.ts,
// page texts in i18n-pages.ts; all are merged here into one bundle.
import type { Bundle } from '../i18n/i18n.js';
import { mediaMessages } from './i18n-media.js';
import { metaMessages } from './i18n-meta.js';
import { pageMessages } from './i18n-pages.js';

const core: Bundle = {
  es: {
    'whatsapp.window_closed': 'La ventana de 24 horas está cerrada: el cliente no ha escrito en las últimas 24 horas. Envía una plantilla aprobada.',
    'whatsapp.template_not_approved': 'La plantilla «{name}» no está aprobada (estado: {status}). Solo se pueden enviar plantillas aprobadas.',
    'whatsapp.template_not_found': 'La plantilla no existe para este número.',
    'whatsapp.template_params_missing': 'Faltan valores para las variables: {names}.',
    'whatsapp.template_header_missing': 'Falta el valor de la variable del encabezado.',
    'whatsapp.opted_out': '{name} se dio de baja de los mensajes de WhatsApp; no se le puede escribir.',
    'whatsapp.number_unavailable': 'El número «{number}» no puede enviar mensajes ahora (desactivado o con el token caducado). Revísalo en Ajustes → WhatsApp.',
    'whatsapp.number_not_found': 'Ese número de WhatsApp no existe.',
    'whatsapp.contact_not_found': 'Ese contacto no existe.',
    'whatsapp.conversation_not_found': 'Esa conversación no existe.',
    'whatsapp.reply_not_found': 'El mensaje citado no existe en esta conversación.',
    'whatsapp.invalid_message': 'El mensaje no cumple los límites de WhatsApp.',
    'whatsapp.required': 'Obligatorio.',
    'whatsapp.too_long': 'Demasiado largo (máximo {max} caracteres).',
    'whatsapp.too_many': 'Demasiados (máximo {max}).',
    'whatsapp.too_few': 'Hace falta al menos {min}.',
    'whatsapp.duplicate': 'Repetido: cada uno debe ser distinto.',
    'whatsapp.not_allowed': 'No se permite aquí.',
    'whatsapp.out_of_range': 'Fuera de rango.',
    'whatsapp.optout.confirmation': 'Listo: ya no recibirás mensajes de {company} por WhatsApp. Si cambias de opinión, escríbenos.',
  },
  en: {
    'whatsapp.window_closed': 'The 24-hour window is closed: the customer has not written in the last 24 hours. Send an approved template.',
    'whatsapp.template_not_approved': 'The template “{name}” is not approved (status: {status}). Only approved templates can be sent.',
    'whatsapp.template_not_found': 'That template does not exist for this number.',
    'whatsapp.template_params_missing': 'Values are missing for the variables: {names}.',
    'whatsapp.template_header_missing': 'The header variable needs a value.',
    'whatsapp.opted_out': '{name} opted out of WhatsApp messages; they cannot be messaged.',
    'whatsapp.number_unavailable': 'The number “{number}” cannot send right now (disabled or its token expired). Check it in Settings → WhatsApp.',
    'whatsapp.number_not_found': 'That WhatsApp number does not exist.',
    'whatsapp.contact_not_found': 'That contact does not exist.',
    'whatsapp.conversation_not_found': 'That conversation does not exist.',
    'whatsapp.reply_not_found': 'The quoted message is not in this conversation.',
    'whatsapp.invalid_message': "The message breaks WhatsApp's limits.",
    'whatsapp.required': 'Required.',
    'whatsapp.too_long': 'Too long (at most {max} characters).',
    'whatsapp.too_many': 'Too many (at most {max}).',
    'whatsapp.too_few': 'At least {min} needed.',
    'whatsapp.duplicate': 'Repeated: each one must be different.',
    'whatsapp.not_allowed': 'Not allowed here.',
    'whatsapp.out_of_range': 'Out of range.',
    'whatsapp.optout.confirmation': 'Done: you will no longer get WhatsApp messages from {company}. If you change your mind, write to us.',
  },
};

export const messages: Bundle = {
  es: { ...core.es, ...metaMessages.es, ...pageMessages.es, ...mediaMessages.es },
  en: { ...core.en, ...metaMessages.en, ...pageMessages.en, ...mediaMessages.en },
};
