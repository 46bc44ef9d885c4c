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
