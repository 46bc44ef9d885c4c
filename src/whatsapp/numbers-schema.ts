// Form/API input for business numbers. Secrets are optional on edit (blank =
// keep the stored one); the verify token is generated when left blank.
import { z } from 'zod';
import { DAYS, parseDayRanges } from './business-hours.js';

const digits = (max: number) => z.string().trim().regex(/^\d{5,40}$/, 'whatsapp.numbers.digits_only').max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : undefined));

export const NumberInput = z.object({
  label: z.string().trim().min(1).max(100),
  phone_number_id: digits(40),
  waba_id: digits(40),
  display_phone: z.string().trim().min(5).max(30).regex(/^\+?[\d\s().-]+$/, 'whatsapp.numbers.phone_format'),
  access_token: z.string().trim().min(20, 'whatsapp.numbers.token_short').max(1000),
  app_secret: z.string().trim().min(16, 'whatsapp.numbers.secret_short').max(200),
  verify_token: optionalText(100).pipe(z.string().regex(/^[\w.~-]{8,100}$/, 'whatsapp.numbers.verify_token_format').optional()),
  meta_app_id: optionalText(40).pipe(z.string().regex(/^\d{5,40}$/, 'whatsapp.numbers.digits_only').optional()),
});
export type NumberInput = z.infer<typeof NumberInput>;

const hoursText = z.string().trim().max(200).optional().default('')
  .refine((v) => parseDayRanges(v) !== null, 'whatsapp.numbers.hours_format');

export const NumberUpdate = z.object({
  label: z.string().trim().min(1).max(100),
  display_phone: z.string().trim().min(5).max(30).regex(/^\+?[\d\s().-]+$/, 'whatsapp.numbers.phone_format'),
  waba_id: digits(40),
  access_token: optionalText(1000).pipe(z.string().min(20, 'whatsapp.numbers.token_short').optional()),
  app_secret: optionalText(200).pipe(z.string().min(16, 'whatsapp.numbers.secret_short').optional()),
  verify_token: z.string().trim().regex(/^[\w.~-]{8,100}$/, 'whatsapp.numbers.verify_token_format'),
  meta_app_id: optionalText(40).pipe(z.string().regex(/^\d{5,40}$/, 'whatsapp.numbers.digits_only').optional()),
  hours_tz: z.string().trim().max(64).optional().default(''),
  away_message: z.string().trim().max(1000).optional().default(''),
  enabled: z.union([z.literal('on'), z.literal('1'), z.literal('true')]).optional(),
  ...Object.fromEntries(DAYS.map((d) => [`hours_${d}`, hoursText])),
});
export type NumberUpdate = z.infer<typeof NumberUpdate> & Record<`hours_${(typeof DAYS)[number]}`, string>;
