// The channel's REST API (one line in src/api/features.ts).
import type { ApiFeature } from '../api/registry.js';
import { messagesApi } from './api-messages.js';
import { numbersApi } from './api-numbers.js';

export const whatsappApi: ApiFeature = (apiRoute, deps) => {
  numbersApi(apiRoute, deps);
  messagesApi(apiRoute, deps);
};
