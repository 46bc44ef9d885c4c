// Settings → Auto-replies: rules (validated, audited) and the opt-out /
// throttle settings.
import { z } from 'zod';
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import { userById } from '../users/queries.js';
import { ruleById, saveGapMinutes, type AutoReplyRule } from './auto-replies-store.js';
import { numberById } from './numbers-queries.js';
import { saveOptOutSettings } from './opt-out.js';
import { templateById } from './templates-store.js';

const blankToUndef = (v: unknown) => (v === '' || v === null ? undefined : v);

export const RuleInput = z.object({
  name: z.string().trim().min(1).max(100),
  number_id: z.preprocess(blankToUndef, z.coerce.number().int().positive().optional()),
  match_type: z.enum(['keyword', 'regex']),
  pattern: z.string().trim().min(1).max(300),
  action: z.enum(['reply_text', 'reply_template', 'tag', 'assign']),
  reply_text: z.string().trim().max(4096).optional().default(''),
  template_id: z.preprocess(blankToUndef, z.coerce.number().int().positive().optional()),
  template_params: z.string().trim().max(1000).optional().default(''),
  tag: z.string().trim().max(60).optional().default(''),
  user_id: z.preprocess(blankToUndef, z.coerce.number().int().positive().optional()),
  position: z.preprocess(blankToUndef, z.coerce.number().int().min(0).max(9999).optional()),
});
export type RuleInput = z.infer<typeof RuleInput>;

export const OptOutSettingsInput = z.object({
  keywords: z.string().trim().min(1).max(500),
  confirmation: z.string().trim().max(1000).optional().default(''),
  gap_minutes: z.coerce.number().int().min(1).max(1440),
});

function actionValue(v: RuleInput): Record<string, unknown> {
  switch (v.action) {
    case 'reply_text':
      if (!v.reply_text) throw new Invalid({ reply_text: { code: 'validation.required' } });
      return { text: v.reply_text };
    case 'reply_template':
      if (!v.template_id) throw new Invalid({ template_id: { code: 'validation.required' } });
      return { templateId: v.template_id, params: v.template_params ? v.template_params.split(',').map((s) => s.trim()) : [] };
    case 'tag':
      if (!v.tag) throw new Invalid({ tag: { code: 'validation.required' } });
      return { tag: v.tag };
    case 'assign':
      if (!v.user_id) throw new Invalid({ user_id: { code: 'validation.required' } });
      return { userId: v.user_id };
  }
}

/** The number, template and agent a rule names must exist (a missing one is a field error, not a failed write). */
async function checkReferences(deps: Pick<Deps, 'db'>, v: RuleInput): Promise<void> {
  if (v.number_id && !(await numberById(deps.db, v.number_id))) throw new Invalid({ number_id: { code: 'whatsapp.number_not_found' } });
  if (v.action === 'reply_template' && v.template_id && !(await templateById(deps.db, v.template_id))) {
    throw new Invalid({ template_id: { code: 'whatsapp.template_not_found' } });
  }
  if (v.action === 'assign' && v.user_id && !(await userById(deps.db, v.user_id))?.active) throw new Invalid({ user_id: { code: 'users.not_found' } });
}

/**
 * True when a repeated group itself repeats or alternates — `(a+)+`, `(\w*)*`,
 * `(a|ab)*` — the shapes that backtrack exponentially: one customer message
 * could then hold the webhook worker for hours (JavaScript regexes cannot be
 * interrupted). Escapes and character classes are skipped.
 */
export function backtracksBadly(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: does it repeat or alternate inside?
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    const next = pattern[i + 1];
    const repeats = (c: string | undefined) => c === '+' || c === '*' || c === '{';
    if (ch === '[') inClass = true;
    else if (ch === '(') groups.push(false);
    else if (ch === ')') {
      const inner = groups.pop() ?? false;
      if (inner && repeats(next)) return true;
      if (groups.length && (inner || repeats(next))) groups[groups.length - 1] = true;
    } else if (ch === '|' || repeats(ch)) {
      if (groups.length) groups[groups.length - 1] = true;
    }
  }
  return false;
}

async function checkedRow(deps: Pick<Deps, 'db'>, v: RuleInput): Promise<Record<string, unknown>> {
  if (v.match_type === 'regex') {
    try {
      new RegExp(v.pattern, 'iu');
    } catch {
      throw new Invalid({ pattern: { code: 'whatsapp.autoreplies.bad_regex' } });
    }
    if (backtracksBadly(v.pattern)) throw new Invalid({ pattern: { code: 'whatsapp.autoreplies.slow_regex' } });
  }
  const row = {
    number_id: v.number_id ?? null, name: v.name, match_type: v.match_type, pattern: v.pattern, action: v.action,
    action_value: JSON.stringify(actionValue(v)), position: v.position ?? 0,
  };
  await checkReferences(deps, v);
  return row;
}

const audited = (v: RuleInput) => ({ name: v.name, number_id: v.number_id ?? null, match_type: v.match_type, pattern: v.pattern, action: v.action });

export async function createRule(deps: Deps, v: RuleInput, audit: Audit): Promise<number> {
  const row = await checkedRow(deps, v);
  return deps.db.transaction(async (trx) => {
    const [inserted] = await trx('auto_reply_rules').insert({ ...row, enabled: true, created_at: deps.clock.now() }).returning('id');
    const id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
    await audit(trx, { action: 'whatsapp.auto_reply_created', entityType: 'auto_reply_rule', entityId: id, after: audited(v) });
    return id;
  });
}

/** Replaces a rule's matching and action; its on/off state and creation time stay. */
export async function updateRule(deps: Deps, id: number, v: RuleInput, audit: Audit): Promise<AutoReplyRule> {
  const before = await getRule(deps, id);
  const row = await checkedRow(deps, v);
  await deps.db.transaction(async (trx) => {
    await trx('auto_reply_rules').where({ id }).update(row);
    await audit(trx, {
      action: 'whatsapp.auto_reply_updated', entityType: 'auto_reply_rule', entityId: id,
      before: { name: before.name, number_id: before.numberId, match_type: before.matchType, pattern: before.pattern, action: before.action },
      after: audited(v),
    });
  });
  return getRule(deps, id);
}

/** The rule as the edit form's values (the inverse of RuleInput). */
export function ruleFormValues(rule: AutoReplyRule): Record<string, string> {
  const base: Record<string, string> = {
    name: rule.name, number_id: rule.numberId ? String(rule.numberId) : '', match_type: rule.matchType,
    pattern: rule.pattern, action: rule.action, position: String(rule.position),
  };
  switch (rule.action) {
    case 'reply_text': return { ...base, reply_text: rule.value.text };
    case 'reply_template': return { ...base, template_id: String(rule.value.templateId), template_params: (rule.value.params ?? []).join(', ') };
    case 'tag': return { ...base, tag: rule.value.tag };
    case 'assign': return { ...base, user_id: String(rule.value.userId) };
  }
}

async function getRule(deps: Deps, id: number): Promise<AutoReplyRule> {
  const rule = await ruleById(deps.db, id);
  if (!rule) throw new NotFound('whatsapp.autoreplies.not_found');
  return rule;
}

export async function toggleRule(deps: Deps, id: number, audit: Audit): Promise<AutoReplyRule> {
  const rule = await getRule(deps, id);
  await deps.db.transaction(async (trx) => {
    await trx('auto_reply_rules').where({ id }).update({ enabled: !rule.enabled });
    await audit(trx, { action: 'whatsapp.auto_reply_toggled', entityType: 'auto_reply_rule', entityId: id, before: { enabled: rule.enabled }, after: { enabled: !rule.enabled } });
  });
  return { ...rule, enabled: !rule.enabled };
}

export async function removeRule(deps: Deps, id: number, audit: Audit): Promise<AutoReplyRule> {
  const rule = await getRule(deps, id);
  await deps.db.transaction(async (trx) => {
    await trx('auto_reply_rules').where({ id }).delete();
    await audit(trx, { action: 'whatsapp.auto_reply_removed', entityType: 'auto_reply_rule', entityId: id, before: { name: rule.name } });
  });
  return rule;
}

export async function saveChannelSettings(deps: Deps, v: z.infer<typeof OptOutSettingsInput>, audit: Audit): Promise<void> {
  const keywords = v.keywords.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  await deps.db.transaction(async (trx) => {
    await saveOptOutSettings(trx, keywords, v.confirmation || null, deps.clock.now());
    await saveGapMinutes(trx, v.gap_minutes, deps.clock.now());
    await audit(trx, { action: 'whatsapp.optout_settings_updated', entityType: 'settings', after: { keywords, gap_minutes: v.gap_minutes, confirmation_set: !!v.confirmation } });
  });
}
