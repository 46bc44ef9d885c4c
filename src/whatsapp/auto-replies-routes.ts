// Settings → Auto-replies: rules, opt-out keywords and the throttle.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { listUsers } from '../users/queries.js';
import { allRules, gapMinutes, ruleById } from './auto-replies-store.js';
import { createRule, OptOutSettingsInput, removeRule, RuleInput, ruleFormValues, saveChannelSettings, toggleRule, updateRule } from './auto-replies-service.js';
import { allNumbers } from './numbers-queries.js';
import { optOutConfirmationText, optOutKeywords } from './opt-out.js';
import { listTemplates } from './templates-service.js';

const BASE = '/settings/auto-replies';
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);

function idOf(req: Request): number {
  const r = Id.safeParse(req.params.id);
  if (!r.success) throw new NotFound('whatsapp.autoreplies.not_found');
  return r.data;
}

async function pageData(deps: Deps, req: Request) {
  const [rules, numbers, templates, users, keywords, confirmation, gap] = await Promise.all([
    allRules(deps.db), allNumbers(deps.db), listTemplates(deps.db, { status: 'APPROVED' }),
    listUsers(deps.db, { active: true }),
    optOutKeywords(deps.db), optOutConfirmationText(deps.db), gapMinutes(deps.db),
  ]);
  const numberLabel = new Map(numbers.map((n) => [n.id, n.label]));
  return {
    title: req.t('whatsapp.autoreplies.title'),
    rules: rules.map((r) => ({ ...r, numberLabel: r.numberId ? (numberLabel.get(r.numberId) ?? '—') : req.t('whatsapp.autoreplies.all_numbers') })),
    numberOptions: [{ value: '', label: req.t('whatsapp.autoreplies.all_numbers') }, ...numbers.map((n) => ({ value: n.id, label: n.label }))],
    templateOptions: [{ value: '', label: '—' }, ...templates.map((t) => ({ value: t.id, label: `${t.name} (${t.language})` }))],
    userOptions: [{ value: '', label: '—' }, ...users.map((u) => ({ value: u.id, label: u.name }))],
    settingsValues: { keywords: keywords.join(', '), confirmation: confirmation ?? '', gap_minutes: String(gap) },
  };
}

export function autoRepliesRoutes(deps: Deps): Router {
  const r = Router();
  const guard = [requireUser, can('settings:write')];

  r.get(BASE, ...guard, async (req, res) => {
    res.page('auto-replies/index', { ...(await pageData(deps, req)), values: { match_type: 'keyword', action: 'reply_text' } });
  });

  r.post(BASE, ...guard, async (req, res) => {
    res.form('auto-replies/index', await pageData(deps, req));
    await createRule(deps, parse(RuleInput, req.body), req.audit);
    req.flash('success', 'whatsapp.autoreplies.created');
    res.redirect(BASE);
  });

  r.post(`${BASE}/settings`, ...guard, async (req, res) => {
    const data = await pageData(deps, req);
    res.form('auto-replies/index', { ...data, settingsValues: req.body });
    await saveChannelSettings(deps, parse(OptOutSettingsInput, req.body), req.audit);
    req.flash('success', 'whatsapp.autoreplies.settings_saved');
    res.redirect(BASE);
  });

  r.get(`${BASE}/:id/edit`, ...guard, async (req, res) => {
    const rule = await ruleById(deps.db, idOf(req));
    if (!rule) throw new NotFound('whatsapp.autoreplies.not_found');
    res.page('auto-replies/edit', { ...(await pageData(deps, req)), rule, title: req.t('whatsapp.autoreplies.edit_title', { name: rule.name }), values: ruleFormValues(rule) });
  });

  r.post(`${BASE}/:id`, ...guard, async (req, res) => {
    const id = idOf(req);
    const current = await ruleById(deps.db, id);
    if (!current) throw new NotFound('whatsapp.autoreplies.not_found');
    res.form('auto-replies/edit', { ...(await pageData(deps, req)), rule: current, title: req.t('whatsapp.autoreplies.edit_title', { name: current.name }) });
    const rule = await updateRule(deps, id, parse(RuleInput, req.body), req.audit);
    req.flash('success', 'whatsapp.autoreplies.updated', { name: rule.name });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/toggle`, ...guard, async (req, res) => {
    const rule = await toggleRule(deps, idOf(req), req.audit);
    req.flash('success', rule.enabled ? 'whatsapp.autoreplies.enabled' : 'whatsapp.autoreplies.disabled', { name: rule.name });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/remove`, ...guard, async (req, res) => {
    const rule = await removeRule(deps, idOf(req), req.audit);
    req.flash('success', 'whatsapp.autoreplies.removed', { name: rule.name });
    res.redirect(BASE);
  });

  return r;
}
