// Strings for media an agent or the API sends (media-limits.ts): refusals name
// Meta's limits so people know what to change.
import type { Bundle } from '../i18n/i18n.js';

export const mediaMessages: Bundle = {
  es: {
    'whatsapp.media.required': 'Elige un archivo para adjuntar.',
    'whatsapp.media.type_not_allowed': 'WhatsApp no acepta «{name}». Se pueden enviar imágenes JPG o PNG, vídeos MP4 o 3GP, audio AAC, AMR, MP3, M4A u OGG, y documentos PDF, TXT, Word, Excel o PowerPoint.',
    'whatsapp.media.empty': 'El archivo está vacío.',
    'whatsapp.media.too_large_image': 'La imagen pesa {size} MB; WhatsApp admite hasta {max} MB.',
    'whatsapp.media.too_large_video': 'El vídeo pesa {size} MB; WhatsApp admite hasta {max} MB.',
    'whatsapp.media.too_large_audio': 'El audio pesa {size} MB; WhatsApp admite hasta {max} MB.',
    'whatsapp.media.too_large_document': 'El documento pesa {size} MB; WhatsApp admite hasta {max} MB.',
    'whatsapp.media.too_large': 'El archivo supera los {max} MB que admite WhatsApp.',
    'whatsapp.media.mismatch': '«{name}» no es un archivo {type} válido (su contenido no coincide con su tipo).',
    'whatsapp.media.one_file': 'Adjunta un solo archivo por mensaje.',
    'whatsapp.media.bad_upload': 'No se pudo leer el archivo enviado. Vuelve a intentarlo.',
    'whatsapp.media.base64': 'El contenido debe ir en base64.',
  },
  en: {
    'whatsapp.media.required': 'Choose a file to attach.',
    'whatsapp.media.type_not_allowed': 'WhatsApp does not take “{name}”. You can send JPG or PNG images, MP4 or 3GP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, TXT, Word, Excel or PowerPoint documents.',
    'whatsapp.media.empty': 'The file is empty.',
    'whatsapp.media.too_large_image': 'The image is {size} MB; WhatsApp takes up to {max} MB.',
    'whatsapp.media.too_large_video': 'The video is {size} MB; WhatsApp takes up to {max} MB.',
    'whatsapp.media.too_large_audio': 'The audio is {size} MB; WhatsApp takes up to {max} MB.',
    'whatsapp.media.too_large_document': 'The document is {size} MB; WhatsApp takes up to {max} MB.',
    'whatsapp.media.too_large': 'The file is over the {max} MB WhatsApp takes.',
    'whatsapp.media.mismatch': '“{name}” is not a valid {type} file (its content does not match its type).',
    'whatsapp.media.one_file': 'Attach one file per message.',
    'whatsapp.media.bad_upload': 'The uploaded file could not be read. Try again.',
    'whatsapp.media.base64': 'The content must be base64.',
  },
};
