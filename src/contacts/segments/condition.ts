// The condition tree shared by segments, list filters, bulk actions and
// exports. A tree is data (stored as JSON in segments.definition, sent by the
// builder UI and the API); compile.ts turns it into a parameterised Knex
// query. Which operators a field accepts is decided here, in one table.
import { z } from 'zod';

export const OPS = [
  'contains', 'starts_with', 'eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between',
  'is_set', 'is_not_set', 'has', 'has_not', 'within_days', 'before_days',
] as const;
export type Op = (typeof OPS)[number];

/** Fixed (non-custom) fields a rule may test. */
export const FIELDS = [
  'search', 'name', 'phone', 'email', 'language', 'timezone', 'country', 'opt_in', 'tag',
  'created_at', 'updated_at', 'last_inbound_at', 'last_outbound_at', 'replied_within_days', 'never_messaged',
  'campaign', 'any_campaign',
] as const;
export type FixedField = (typeof FIELDS)[number];
export type FieldName = FixedField | `custom:${string}`;

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select', 'multiselect'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const OPT_IN_STATES = ['opted_in', 'opted_out', 'unknown'] as const;

const TEXT_OPS: Op[] = ['contains', 'starts_with', 'eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'];
const TIME_OPS: Op[] = ['gt', 'gte', 'lt', 'lte', 'between', 'within_days', 'before_days', 'is_set', 'is_not_set'];

/** Operators per fixed field. */
export const FIELD_OPS: Record<FixedField, Op[]> = {
  search: ['contains'],
  name: ['contains', 'starts_with', 'eq', 'neq', 'is_set', 'is_not_set'],
  phone: ['starts_with', 'eq', 'neq', 'in'],
  email: TEXT_OPS,
  language: ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'],
  timezone: ['eq', 'neq', 'in', 'not_in'],
  country: ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'],
  opt_in: ['eq', 'neq', 'in', 'not_in'],
  tag: ['has', 'has_not'],
  created_at: TIME_OPS.filter((o) => o !== 'is_set' && o !== 'is_not_set'),
  updated_at: TIME_OPS.filter((o) => o !== 'is_set' && o !== 'is_not_set'),
  last_inbound_at: TIME_OPS,
  last_outbound_at: TIME_OPS,
  replied_within_days: ['within_days'],
  never_messaged: ['eq'],
  // campaign: has = received campaign X (any of the ids), has_not = did not; any_campaign: true / false (never received one).
  campaign: ['has', 'has_not'],
  any_campaign: ['eq'],
};

/** Operators per custom field type. */
export const CUSTOM_OPS: Record<CustomFieldType, Op[]> = {
  text: TEXT_OPS,
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_set', 'is_not_set'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'within_days', 'before_days', 'is_set', 'is_not_set'],
  boolean: ['eq', 'is_set', 'is_not_set'],
  select: ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'],
  multiselect: ['has', 'has_not', 'in', 'is_set', 'is_not_set'],
};

/** Operators that take no value. */
export const VALUELESS: ReadonlySet<Op> = new Set(['is_set', 'is_not_set']);

export const CUSTOM_KEY_RE = /^[a-z][a-z0-9_]{0,59}$/;
const FIELD_RE = new RegExp(`^(?:${FIELDS.join('|')}|custom:[a-z][a-z0-9_]{0,59})$`);

export const MAX_DEPTH = 4;
export const MAX_RULES = 40;

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

export const RuleSchema = z.object({
  field: z.string().regex(FIELD_RE, 'segments.bad_field')
    .meta({ description: `One of ${FIELDS.join(', ')}, or custom:<key>.` }),
  op: z.enum(OPS),
  value: z.union([Scalar, z.array(Scalar).max(200), z.null()]).optional()
    .meta({ description: 'Text, number, boolean, a YYYY-MM-DD date, a list (in/not_in/has/between), a tag id for tag rules, a campaign id for campaign rules.' }),
}).strict();

export type Scalar = z.infer<typeof Scalar>;
export type Rule = { field: string; op: Op; value?: Scalar | Scalar[] | null };
export type Condition = { all: Condition[] } | { any: Condition[] } | Rule;

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() => z.union([
  z.object({ all: z.array(ConditionSchema).max(MAX_RULES) }).strict(),
  z.object({ any: z.array(ConditionSchema).max(MAX_RULES) }).strict(),
  RuleSchema,
])).meta({ id: 'Condition', description: 'A rule, or {"all": [...]} (AND) / {"any": [...]} (OR) of conditions.' });

export function isRule(c: Condition): c is Rule {
  return 'field' in c;
}

export function isCustom(field: string): field is `custom:${string}` {
  return field.startsWith('custom:');
}

export function customKey(field: string): string {
  return field.slice('custom:'.length);
}

/** Every rule of the tree, depth-first. */
export function rulesOf(c: Condition): Rule[] {
  if (isRule(c)) return [c];
  return ('all' in c ? c.all : c.any).flatMap(rulesOf);
}

export function depthOf(c: Condition): number {
  if (isRule(c)) return 0;
  const kids = 'all' in c ? c.all : c.any;
  return 1 + Math.max(0, ...kids.map(depthOf));
}

/** The tree matching every contact. */
export const MATCH_ALL: Condition = { all: [] };

/** AND of several conditions, flattening the trivial ones. */
export function andOf(...conds: Array<Condition | null | undefined>): Condition {
  const kids = conds.filter((c): c is Condition => !!c && !(!isRule(c) && 'all' in c && c.all.length === 0));
  return kids.length === 1 ? kids[0]! : { all: kids };
}
