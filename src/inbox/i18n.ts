// The inbox's string bundle (en + es kept in two files so each stays readable;
// the composer's attachment and interactive forms in i18n-compose.ts).
import type { Bundle } from '../i18n/i18n.js';
import { en } from './i18n-en.js';
import { es } from './i18n-es.js';
import { composeMessages } from './i18n-compose.js';

export const messages: Bundle = { en: { ...en, ...composeMessages.en }, es: { ...es, ...composeMessages.es } };
