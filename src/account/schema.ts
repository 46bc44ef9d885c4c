import { z } from 'zod';
import { LocaleSchema, Password, PersonName } from '../users/schema.js';

export const ProfileInput = z.object({ name: PersonName, locale: LocaleSchema });
export type ProfileInput = z.infer<typeof ProfileInput>;

export const PasswordChangeInput = z
  .object({
    current_password: z.string().min(1).max(200),
    password: Password,
    password_confirm: z.string().max(200),
  })
  .refine((v) => v.password === v.password_confirm, { path: ['password_confirm'], message: 'validation.password_mismatch' });
export type PasswordChangeInput = z.infer<typeof PasswordChangeInput>;

export const TotpCodeInput = z.object({
  code: z.string().trim().transform((s) => s.replace(/\s+/g, '')).pipe(z.string().regex(/^\d{6}$/, 'account.totp_code_format')),
});

/** The password confirming a sensitive 2FA action; each form names its own field so errors land on the right one. */
export const passwordField = (name: 'regen_password' | 'disable_password') => z.object({ [name]: z.string().min(1).max(200) });
