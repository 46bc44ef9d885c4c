// The inbox's string bundle (en + es kept in two files so each stays readable).
import type { Bundle } from '../i18n/i18n.js';
import { en } from './i18n-en.js';
import { es } from './i18n-es.js';

export const messages: Bundle = { en, es };
