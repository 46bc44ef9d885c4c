// REST API: business numbers (never their secrets). Templates: api-templates.ts.
import { z } from 'zod';
import type { ApiFeature } from '../api/registry.js';
import { IdParams, iso } from '../api/schemas.js';
import { allNumbers, type WaNumber } from './numbers-queries.js';
import { getNumber } from './numbers-service.js';

export const ApiNumber = z.object({
  id: z.number().int(),
  label: z.string(),
  display_phone: z.string(),
  phone_number_id: z.string(),
  waba_id: z.string(),
  verified_name: z.string().nullable(),
  status: z.enum(['active', 'token_invalid', 'disabled']),
  is_sandbox: z.boolean(),
  quality_rating: z.string().nullable(),
  throughput_tier: z.string().nullable(),
  created_at: z.string(),
});

export function presentNumber(n: WaNumber): z.input<typeof ApiNumber> {
  return {
    id: n.id, label: n.label, display_phone: n.displayPhone, phone_number_id: n.phoneNumberId, waba_id: n.wabaId, verified_name: n.verifiedName,
    status: n.status, is_sandbox: n.isSandbox, quality_rating: n.qualityRating, throughput_tier: n.throughputTier, created_at: iso(new Date(n.createdAt)),
  };
}

const numberRoutes: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/numbers', summary: 'List WhatsApp numbers', tags: ['whatsapp'], scope: 'inbox:read',
    description: 'Every business number, the built-in sandbox number included. Tokens and secrets are never returned.',
    response: z.object({ data: z.array(ApiNumber) }),
    handler: async () => ({ data: (await allNumbers(deps.db)).map(presentNumber) }),
  });
  apiRoute({
    method: 'get', path: '/numbers/{id}', summary: 'Get a WhatsApp number', tags: ['whatsapp'], scope: 'inbox:read',
    params: IdParams, response: ApiNumber,
    handler: async ({ params }) => presentNumber(await getNumber(deps, params.id)),
  });
};

export const numbersApi: ApiFeature = (apiRoute, deps) => {
  numberRoutes(apiRoute, deps);
};
