import { z } from 'zod';
import { isStrongPassword } from '../auth/passwords.js';
import { LOCALES } from '../i18n/i18n.js';
import { ROLES } from './permissions.js';

export const Email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
export const Password = z.string().max(200).refine(isStrongPassword, { message: 'validation.password_weak' });
export const PersonName = z.string().trim().min(1).max(120);
export const LocaleSchema = z.enum(LOCALES);
export const RoleSchema = z.enum(ROLES);

export const NewUserInput = z.object({
  name: PersonName,
  email: Email,
  role: RoleSchema,
  locale: LocaleSchema.default('es'),
  password: Password,
});
export type NewUserInput = z.infer<typeof NewUserInput>;

export const UpdateUserInput = z.object({
  name: PersonName,
  email: Email,
  role: RoleSchema,
  locale: LocaleSchema,
});
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

/** Admin-created accounts get a generated temporary password instead of a typed one. */
export const InviteUserInput = NewUserInput.omit({ password: true });
export type InviteUserInput = z.infer<typeof InviteUserInput>;

export const USER_STATUSES = ['active', 'inactive', 'locked'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** List filters come from a GET form: anything unexpected is ignored, never an error page. */
export const UserListQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: RoleSchema.optional().catch(undefined),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const UserId = z.coerce.number().int().positive().max(2_147_483_647);
