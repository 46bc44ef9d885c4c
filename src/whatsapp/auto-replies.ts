// Auto-replies to inbound messages: keyword/regex rules (reply with text or a
// template, tag the contact, assign the conversation) and the away message
// outside a number's business hours. Loops are impossible by construction:
// only customer-typed content (text, button taps) triggers anything, never
// our own or system messages; at most one automatic reply per conversation
// per N minutes (claimed atomically); opted-out contacts get no reply.
import type { Deps } from '../deps.js';
import { fold } from '../contacts/derive.js';
import { tagsChanged } from '../contacts/tags-queries.js';
import { gapMinutes, rulesFor, type AutoReplyRule } from './auto-replies-store.js';
import { isOpenAt } from './business-hours.js';
import type { WaNumber } from './numbers-queries.js';
import { sendTemplate, sendText } from './send-service.js';

export type Trigger = { conversationId: number; contactId: number; number: WaNumber; type: string; text: string | null };

const TRIGGER_TYPES = new Set(['text', 'button', 'interactive']);
const MAX_MATCH_TEXT = 1000;

export function ruleMatches(rule: Pick<AutoReplyRule, 'matchType' | 'pattern'>, text: string): boolean {
  const sample = text.slice(0, MAX_MATCH_TEXT);
  if (rule.matchType === 'regex') {
    try {
      return new RegExp(rule.pattern, 'iu').test(sample);
    } catch {
      return false;
    }
  }
  // Keywords: any of the comma-separated words/phrases, as whole words, ignoring case and accents.
  const words = ` ${fold(sample).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return rule.pattern.split(',').map((k) => fold(k).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).filter(Boolean).some((k) => words.includes(` ${k} `));
}

/** Takes the conversation's auto-reply slot, or false if one went out in the last N minutes. */
async function claimSlot(deps: Deps, conversationId: number): Promise<boolean> {
  const now = deps.clock.now();
  const since = now - (await gapMinutes(deps.db)) * 60_000;
  const n = await deps.db('conversations').where({ id: conversationId })
    .andWhere((w) => w.whereNull('last_auto_reply_at').orWhere('last_auto_reply_at', '<=', since))
    .update({ last_auto_reply_at: now });
  return Number(n) > 0;
}

async function tagContact(deps: Deps, contactId: number, name: string): Promise<void> {
  const key = fold(name).slice(0, 60);
  if (!key) return;
  const now = deps.clock.now();
  await deps.db('tags').insert({ name: name.slice(0, 60), name_key: key, created_at: now }).onConflict('name_key').ignore();
  tagsChanged(deps.db); // the list's cached tag filter (tags-queries.ts)
  const tag = await deps.db('tags').where({ name_key: key }).first('id');
  if (tag) await deps.db('contact_tags').insert({ contact_id: contactId, tag_id: tag.id }).onConflict(['contact_id', 'tag_id']).ignore();
}

async function reply(deps: Deps, t: Trigger, send: () => Promise<unknown>): Promise<boolean> {
  if (!(await claimSlot(deps, t.conversationId))) return false;
  try {
    await send();
    return true;
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, conversationId: t.conversationId }, 'auto-reply not sent');
    return false;
  }
}

async function applyRule(deps: Deps, t: Trigger, rule: AutoReplyRule, replied: boolean): Promise<boolean> {
  switch (rule.action) {
    case 'tag':
      await tagContact(deps, t.contactId, rule.value.tag);
      return false;
    case 'assign':
      await deps.db('conversations').where({ id: t.conversationId }).whereNull('assigned_user_id').update({ assigned_user_id: rule.value.userId });
      deps.events.emit('conversation.updated', { conversationId: t.conversationId });
      return false;
    case 'reply_text':
      return !replied && reply(deps, t, () => sendText(deps, { conversationId: t.conversationId, text: rule.value.text, userId: null }));
    case 'reply_template':
      return !replied && reply(deps, t, () => sendTemplate(deps, { conversationId: t.conversationId, templateId: rule.value.templateId, params: rule.value.params ?? [], userId: null }));
  }
}

/** Runs the rules (and the away message) for one inbound message; returns whether a reply went out. */
export async function runAutoReplies(deps: Deps, t: Trigger, optedOut: boolean): Promise<boolean> {
  if (!TRIGGER_TYPES.has(t.type) || !t.text) return false;
  let replied = optedOut; // opted-out contacts: tags and assignment still apply, replies never
  for (const rule of await rulesFor(deps.db, t.number.id)) {
    if (ruleMatches(rule, t.text)) replied = (await applyRule(deps, t, rule, replied)) || replied;
  }
  if (replied) return !optedOut;
  const n = t.number;
  if (n.businessHours && n.awayMessage && !isOpenAt(n.businessHours, deps.clock.now())) {
    return reply(deps, t, () => sendText(deps, { conversationId: t.conversationId, text: n.awayMessage!, userId: null }));
  }
  return false;
}
