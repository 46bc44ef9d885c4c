// Settings → WhatsApp: business numbers, the connection test, and what to
// paste into Meta's dashboard (webhook URL + verify token), with a guide.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { DAYS, formatDayRanges } from './business-hours.js';
import { metaErrorText } from './meta-errors.js';
import { allNumbers, type WaNumber } from './numbers-queries.js';
import { NumberInput, NumberUpdate } from './numbers-schema.js';
import { createNumber, getNumber, newVerifyToken, removeNumber, subscribeWebhooks, testConnection, updateNumber, type SubscribeOutcome } from './numbers-service.js';
import { WEBHOOK_PATH } from './webhook-routes.js';

const BASE = '/settings/whatsapp';
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);

function idOf(req: Request): number {
  const r = Id.safeParse(req.params.id);
  if (!r.success) throw new NotFound('whatsapp.number_not_found');
  return r.data;
}

export function editValues(n: WaNumber): Record<string, string> {
  const v: Record<string, string> = {
    label: n.label, display_phone: n.displayPhone, waba_id: n.wabaId, verify_token: n.verifyToken, meta_app_id: n.metaAppId ?? '',
    hours_tz: n.businessHours?.tz ?? '', away_message: n.awayMessage ?? '', enabled: n.status === 'disabled' ? '' : 'on',
  };
  for (const d of DAYS) v[`hours_${d}`] = formatDayRanges(n.businessHours?.days[d]);
  return v;
}

const guard = [requireUser, can('numbers:manage')];

function flashSubscription(req: Request, n: WaNumber, outcome: SubscribeOutcome): void {
  if (outcome.ok) req.flash('success', 'whatsapp.numbers.subscribe_ok', { waba: n.wabaId });
  else req.flash('error', 'whatsapp.numbers.subscribe_failed', { error: metaErrorText(req.t, outcome.code, outcome.details ?? outcome.message), meta: outcome.message });
}

function formRoutes(r: Router, deps: Deps, webhookUrl: string): void {
  r.get(BASE, ...guard, async (req, res) => {
    const [numbers, limit, used] = await Promise.all([allNumbers(deps.db), deps.plans.limit('numbers'), deps.plans.usage('numbers')]);
    res.page('numbers/index', { title: req.t('whatsapp.numbers.title'), numbers, webhookUrl, limit, used, sandboxOn: deps.config.sandbox });
  });

  r.get(`${BASE}/new`, ...guard, (req, res) => {
    res.page('numbers/new', { title: req.t('whatsapp.numbers.new'), values: { verify_token: newVerifyToken() }, webhookUrl });
  });

  r.post(BASE, ...guard, async (req, res) => {
    res.form('numbers/new', { title: req.t('whatsapp.numbers.new'), webhookUrl });
    const n = await createNumber(deps, parse(NumberInput, req.body), req.audit);
    req.flash('success', 'whatsapp.numbers.created', { name: n.label });
    flashSubscription(req, n, await subscribeWebhooks(deps, n.id, req.audit));
    res.redirect(`${BASE}#number-${n.id}`);
  });

  r.get(`${BASE}/:id/edit`, ...guard, async (req, res) => {
    const n = await getNumber(deps, idOf(req));
    res.page('numbers/edit', { title: req.t('whatsapp.numbers.edit'), number: n, values: editValues(n), days: DAYS, webhookUrl });
  });

  r.post(`${BASE}/:id`, ...guard, async (req, res) => {
    const n = await getNumber(deps, idOf(req));
    res.form('numbers/edit', { title: req.t('whatsapp.numbers.edit'), number: n, days: DAYS, webhookUrl });
    const updated = await updateNumber(deps, n.id, parse(NumberUpdate, req.body) as NumberUpdate, req.audit);
    req.flash('success', 'whatsapp.numbers.updated', { name: updated.label });
    res.redirect(`${BASE}#number-${n.id}`);
  });

}

function actionRoutes(r: Router, deps: Deps): void {
  r.post(`${BASE}/:id/remove`, ...guard, async (req, res) => {
    const n = await removeNumber(deps, idOf(req), req.audit);
    req.flash('success', 'whatsapp.numbers.removed', { name: n.label });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/subscribe`, ...guard, async (req, res) => {
    const n = await getNumber(deps, idOf(req));
    flashSubscription(req, n, await subscribeWebhooks(deps, n.id, req.audit));
    res.redirect(`${BASE}#number-${n.id}`);
  });

  r.post(`${BASE}/:id/test`, ...guard, async (req, res) => {
    const id = idOf(req);
    const check = await testConnection(deps, id);
    if (check.ok) {
      const i = check.info;
      req.flash('success', 'whatsapp.numbers.test_ok', { name: i.verifiedName ?? '—', phone: i.displayPhoneNumber ?? '—', quality: i.qualityRating ?? '—', tier: i.throughputLevel ?? '—', limit: i.messagingLimitTier ?? '—' });
    } else {
      req.flash('error', 'whatsapp.numbers.test_failed', { error: metaErrorText(req.t, check.code, check.details ?? check.message), meta: check.message });
    }
    res.redirect(`${BASE}#number-${id}`);
  });
}

export function numbersRoutes(deps: Deps): Router {
  const r = Router();
  formRoutes(r, deps, `${deps.config.publicUrl}${WEBHOOK_PATH}`);
  actionRoutes(r, deps);
  return r;
}
