// Every feature's strings, merged once. A feature adds its bundle here.
import { messages as auth } from '../auth/i18n.js';
import { messages as setup } from '../setup/i18n.js';
import { common } from './common.js';
import { mergeBundles, type Locale, type Messages } from './i18n.js';

export const BUNDLES = { common, auth, setup };

export function buildCatalog(): Record<Locale, Messages> {
  return mergeBundles(Object.values(BUNDLES));
}
