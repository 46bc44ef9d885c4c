// The plan table of product/spec.md. Limits: null = unlimited.
export const PLAN_IDS = ['starter', 'professional', 'business', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export const LIMIT_NAMES = ['contacts', 'messages_per_month', 'users', 'numbers', 'custom_fields'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type Limits = Record<LimitName, number | null>;

export const FEATURES = [
  'dashboard', 'scheduled_campaigns', 'templates', 'calendar', 'excel_export',
  'roles', 'advanced_analytics', 'segments', 'outgoing_webhooks', 'rest_api', 'zapier', 'daily_backups',
  'multiple_numbers', 'drip_campaigns', 'ab_testing', 'custom_reports', 'white_label',
] as const;
export type Feature = (typeof FEATURES)[number];

type Plan = { id: PlanId; limits: Limits; features: Feature[] };

const STARTER_FEATURES: Feature[] = ['dashboard', 'scheduled_campaigns', 'templates', 'calendar', 'excel_export'];
const PRO_FEATURES: Feature[] = [
  ...STARTER_FEATURES, 'roles', 'advanced_analytics', 'segments', 'outgoing_webhooks', 'rest_api', 'zapier', 'daily_backups',
];
const BUSINESS_FEATURES: Feature[] = [
  ...PRO_FEATURES, 'multiple_numbers', 'drip_campaigns', 'ab_testing', 'custom_reports', 'white_label',
];

export const PLANS: Record<PlanId, Plan> = {
  starter: {
    id: 'starter',
    limits: { contacts: 500, messages_per_month: 1_000, users: 2, numbers: 1, custom_fields: 10 },
    features: STARTER_FEATURES,
  },
  professional: {
    id: 'professional',
    limits: { contacts: 5_000, messages_per_month: 10_000, users: 10, numbers: 1, custom_fields: 10 },
    features: PRO_FEATURES,
  },
  business: {
    id: 'business',
    limits: { contacts: 25_000, messages_per_month: 50_000, users: 50, numbers: 5, custom_fields: null },
    features: BUSINESS_FEATURES,
  },
  enterprise: {
    id: 'enterprise',
    limits: { contacts: null, messages_per_month: null, users: null, numbers: null, custom_fields: null },
    features: [...FEATURES],
  },
};

export const TRIAL_DAYS = 14;
export const GRACE_DAYS = 14;
