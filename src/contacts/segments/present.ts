// What the segment builder (public/js/segments.js) needs to draw its rows:
// every field with its label, operators and value kind, already translated.
import type { T } from '../../i18n/i18n.js';
import type { CustomFieldDef } from '../custom-values.js';
import type { Tag } from '../tags-queries.js';
import type { CampaignChoice } from './campaigns.js';
import { CUSTOM_OPS, FIELD_OPS, MAX_DEPTH, OPS, OPT_IN_STATES, type CustomFieldType, type FixedField, type Op } from './condition.js';
import type { Problem } from './service.js';

/** How the builder asks for a value: a text box, a number, a date, a list to pick from, or nothing. */
type Kind = 'text' | 'number' | 'date' | 'days' | 'choice' | 'bool' | 'phone';
type Choice = { value: string | number; label: string };
type FieldMeta = { field: string; label: string; group: string; ops: Op[]; kind: Kind; choices?: Choice[]; kinds?: Partial<Record<Op, Kind>> };

const TIME_KINDS: Partial<Record<Op, Kind>> = { within_days: 'days', before_days: 'days' };

const FIXED: Array<[FixedField, string, Kind, Partial<Record<Op, Kind>>?]> = [
  ['name', 'fields', 'text'], ['phone', 'fields', 'phone'], ['email', 'fields', 'text'], ['country', 'fields', 'text'],
  ['language', 'fields', 'choice'], ['timezone', 'fields', 'text'], ['opt_in', 'fields', 'choice'], ['tag', 'fields', 'choice'],
  ['created_at', 'fields', 'date', TIME_KINDS], ['updated_at', 'fields', 'date', TIME_KINDS],
  ['replied_within_days', 'activity', 'days'], ['never_messaged', 'activity', 'bool'],
  ['last_inbound_at', 'activity', 'date', TIME_KINDS], ['last_outbound_at', 'activity', 'date', TIME_KINDS],
  ['campaign', 'activity', 'choice'], ['any_campaign', 'activity', 'bool'],
];

const CUSTOM_KIND: Record<CustomFieldType, Kind> = { text: 'text', number: 'number', date: 'date', boolean: 'bool', select: 'choice', multiselect: 'choice' };

function fixedChoices(field: FixedField, tags: Tag[], campaigns: CampaignChoice[], t: T): Choice[] | undefined {
  if (field === 'tag') return tags.map((x) => ({ value: x.id, label: x.name }));
  if (field === 'campaign') return campaigns;
  if (field === 'opt_in') return OPT_IN_STATES.map((s) => ({ value: s, label: t(`contacts.opt_in.${s}`) }));
  if (field === 'language') return ['es', 'en'].map((l) => ({ value: l, label: t(`lang.${l}`) }));
  return undefined;
}

/** `maxDepth`: how many levels of groups the compiler accepts (the root group is level 1). */
export function builderMeta(fields: CustomFieldDef[], tags: Tag[], campaigns: CampaignChoice[], t: T) {
  const out: FieldMeta[] = FIXED.map(([field, group, kind, kinds]) => ({
    field, group, kind, kinds, label: t(`segments.field.${field}`), ops: FIELD_OPS[field], choices: fixedChoices(field, tags, campaigns, t),
  }));
  for (const f of fields) {
    out.push({
      field: `custom:${f.key}`, group: 'custom', label: f.label, ops: CUSTOM_OPS[f.type], kind: CUSTOM_KIND[f.type],
      kinds: f.type === 'date' ? TIME_KINDS : undefined,
      choices: f.options.length ? f.options.map((o) => ({ value: o, label: o })) : undefined,
    });
  }
  return {
    maxDepth: MAX_DEPTH,
    fields: out,
    ops: Object.fromEntries(OPS.map((o) => [o, t(`segments.op.${o}`)])),
    groups: { fields: t('segments.group.fields'), activity: t('segments.group.activity'), custom: t('segments.group.custom') },
    text: Object.fromEntries(['match_all', 'match_any', 'add_rule', 'add_group', 'remove', 'remove_group', 'field', 'operator', 'value', 'yes', 'no',
      'counting', 'and', 'or', 'list_hint', 'days_hint', 'from', 'to', 'group_label', 'rule_label', 'no_campaigns', 'nested_group'].map((k) => [k, t(`segments.ui.${k}`)])),
  };
}

export function problemTexts(problems: Problem[], t: T): string[] {
  return problems.map((p) => t(p.code, p.params));
}
