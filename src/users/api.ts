// Users in the REST API: list, read, create. The JSON shape below is all that
// ever leaves: no hashes, secrets or lockout internals.
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import { IdParams, iso, IsoDateTime } from '../api/schemas.js';
import { LOCALES } from '../i18n/i18n.js';
import { ROLES } from './permissions.js';
import type { User } from './queries.js';
import { pageOfUsers } from './api-queries.js';
import { NewUserInput } from './schema.js';
import { createUser, getUser } from './service.js';

export const ApiUser = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  locale: z.enum(LOCALES),
  active: z.boolean(),
  two_factor_enabled: z.boolean(),
  last_login_at: IsoDateTime.nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});

export function presentUser(u: User): z.input<typeof ApiUser> {
  return {
    id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale, active: u.active,
    two_factor_enabled: u.totpEnabled, last_login_at: iso(u.lastLoginAt), created_at: iso(u.createdAt), updated_at: iso(u.updatedAt),
  };
}

const UsersQuery = PageQuery.extend({
  role: z.enum(ROLES).optional().meta({ description: 'Only users with this role.' }),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'Only active (true) or deactivated (false) users.' }),
});

// Keys act with an admin's reach: they may create managers, agents and viewers, never owners or admins.
const API_ACTOR = { role: 'admin' as const };

export const usersApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/users', summary: 'List staff users', tags: ['users'], scope: 'users:read',
    description: 'Oldest first, cursor-paginated.',
    query: UsersQuery,
    response: pageOf(ApiUser),
    handler: async ({ query }) => {
      const rows = await pageOfUsers(deps.db, {
        role: query.role, active: query.active, limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      return toPage(rows, query.limit, (u) => ({ key: u.createdAt.getTime(), id: u.id }), presentUser);
    },
  });

  apiRoute({
    method: 'get', path: '/users/{id}', summary: 'Get a staff user', tags: ['users'], scope: 'users:read',
    params: IdParams,
    response: ApiUser,
    handler: async ({ params }) => presentUser(await getUser(deps, params.id)),
  });

  apiRoute({
    method: 'post', path: '/users', summary: 'Create a staff user', tags: ['users'], scope: 'users:write', status: 201,
    description: 'Creates a manager, agent or viewer (owners and admins are made in the app). Counts against the plan\'s user limit.',
    body: NewUserInput,
    response: ApiUser,
    handler: async ({ body, req }) => presentUser(await createUser(deps, API_ACTOR, body, req.audit)),
  });
};
