// Every feature's API module. A feature adds its line here; its routes then
// appear in /api/v1 and in the OpenAPI document together.
import { usersApi } from '../users/api.js';
import { conversationsApi } from '../inbox/api.js';
import { importApi } from '../contacts/import/api.js';
import { exportApi } from '../contacts/export/api.js';
import { contactsApi } from '../contacts/api.js';
import { customFieldsApi, tagsApi } from '../contacts/api-meta.js';
import { segmentsApi } from '../contacts/segments/api.js';
import { whatsappApi } from '../whatsapp/api.js';
import { meApi } from './me.js';
import type { ApiFeature } from './registry.js';

export const API_FEATURES: ApiFeature[] = [meApi, usersApi, conversationsApi, importApi, exportApi, contactsApi, tagsApi, customFieldsApi, segmentsApi, whatsappApi]; // import/export before a contacts {id} route
