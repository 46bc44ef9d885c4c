// auto_reply_rules rows and the install-wide auto-reply settings.
import type { Db } from '../db/knex.js';
import { bool, json } from '../db/rows.js';
import { putSetting, settingValue } from '../settings/service.js';

export type RuleAction =
  | { action: 'reply_text'; value: { text: string } }
  | { action: 'reply_template'; value: { templateId: number; params?: string[] } }
  | { action: 'tag'; value: { tag: string } }
  | { action: 'assign'; value: { userId: number } };

export type AutoReplyRule = {
  id: number;
  numberId: number | null;
  name: string;
  matchType: 'keyword' | 'regex';
  pattern: string;
  enabled: boolean;
  position: number;
  createdAt: number;
} & RuleAction;

export const GAP_KEY = 'whatsapp.auto_reply_gap_minutes';
export const DEFAULT_GAP_MINUTES = 30;

export function toRule(r: Record<string, unknown>): AutoReplyRule {
  return {
    id: Number(r.id),
    numberId: r.number_id === null || r.number_id === undefined ? null : Number(r.number_id),
    name: String(r.name),
    matchType: r.match_type === 'regex' ? 'regex' : 'keyword',
    pattern: String(r.pattern),
    action: String(r.action),
    value: json<Record<string, unknown>>(r.action_value, {}),
    enabled: bool(r.enabled),
    position: Number(r.position ?? 0),
    createdAt: Number(r.created_at),
  } as AutoReplyRule;
}

export async function allRules(db: Db): Promise<AutoReplyRule[]> {
  return (await db('auto_reply_rules').select('*').orderBy([{ column: 'position' }, { column: 'id' }])).map(toRule);
}

export async function rulesFor(db: Db, numberId: number): Promise<AutoReplyRule[]> {
  const rows = await db('auto_reply_rules').where({ enabled: true }).andWhere((w) => w.whereNull('number_id').orWhere({ number_id: numberId }))
    .orderBy([{ column: 'position' }, { column: 'id' }]);
  return rows.map(toRule);
}

export async function ruleById(db: Db, id: number): Promise<AutoReplyRule | undefined> {
  const row = await db('auto_reply_rules').where({ id }).first();
  return row ? toRule(row) : undefined;
}

export async function gapMinutes(db: Db): Promise<number> {
  const v = await settingValue<unknown>(db, GAP_KEY);
  return typeof v === 'number' && v >= 1 ? v : DEFAULT_GAP_MINUTES;
}

export async function saveGapMinutes(db: Db, minutes: number, now: number): Promise<void> {
  await putSetting(db, GAP_KEY, minutes, now);
}
