// The channel's REST API (one line in src/api/features.ts).
import type { ApiFeature } from '../api/registry.js';
import { messagesApi } from './api-messages.js';
import { numbersApi } from './api-numbers.js';
import { templatesApi } from './api-templates.js';

export const whatsappApi: ApiFeature = (apiRoute, deps) => {
  numbersApi(apiRoute, deps);
  templatesApi(apiRoute, deps);
  messagesApi(apiRoute, deps);
};
