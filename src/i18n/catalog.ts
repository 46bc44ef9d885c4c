// Every feature's strings, merged once. A feature adds its bundle here.
import { messages as auth } from '../auth/i18n.js';
import { messages as plans } from '../plans/i18n.js';
import { messages as setup } from '../setup/i18n.js';
import { messages as settings } from '../settings/i18n.js';
import { messages as users } from '../users/i18n.js';
import { messages as account } from '../account/i18n.js';
import { messages as audit } from '../audit/i18n.js';
import { messages as apikeys } from '../api-keys/i18n.js';
import { messages as api } from '../api/i18n.js';
import { messages as inbox } from '../inbox/i18n.js';
import { messages as contacts } from '../contacts/i18n.js';
import { messages as contactsCore } from '../contacts/i18n-core.js';
import { messages as contactsSettings } from '../contacts/i18n-settings.js';
import { messages as segments } from '../contacts/segments/i18n.js';
import { messages as contactsImport } from '../contacts/import/i18n.js';
import { messages as contactsExport } from '../contacts/export/i18n.js';
import { messages as contactsBulk } from '../contacts/bulk/i18n.js';
import { messages as whatsapp } from '../whatsapp/i18n.js';
import { messages as calendar } from '../calendar/i18n.js';
import { common } from './common.js';
import { mergeBundles, type Locale, type Messages } from './i18n.js';

export const BUNDLES = { common, auth, plans, setup, settings, users, account, audit, apikeys, api, inbox, contacts, contactsCore, contactsSettings, segments, contactsImport, contactsExport, contactsBulk, whatsapp, calendar };

export function buildCatalog(): Record<Locale, Messages> {
  return mergeBundles(Object.values(BUNDLES));
}
