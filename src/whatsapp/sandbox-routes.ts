// /sandbox/phone: staff play the customer of the built-in sandbox — write,
// tap buttons, read messages — through the emulator's simulated customer,
// which posts signed webhooks to this app like Meta does.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { sandboxFor } from './sandbox-boot.js';
import { phoneBubbles } from './sandbox-phone.js';

const WaId = z.string().trim().regex(/^\d{8,15}$/, 'whatsapp.sandbox.wa_id_format');
const Customer = z.object({ wa_id: WaId, name: z.string().trim().max(60).optional().default('') });
const SendInput = Customer.extend({ text: z.string().trim().min(1).max(4096) });
const TapInput = Customer.extend({
  context: z.string().min(1).max(200),
  kind: z.enum(['reply', 'list', 'quick_reply']),
  id: z.string().min(1).max(256),
  title: z.string().min(1).max(100),
});
const ReadInput = Customer.extend({ wamid: z.string().min(1).max(200) });

export const DEFAULT_CUSTOMER = { wa_id: '5215512345678', name: 'Cliente de prueba' };

function running(deps: Deps) {
  const s = sandboxFor(deps);
  if (!s) throw new DomainError('whatsapp.sandbox.off');
  return s;
}

function done(req: Request, res: Response, c: { wa_id: string; name: string }, extra: Record<string, unknown> = {}): void {
  if (req.is('application/json') || req.accepts(['html', 'json']) === 'json') res.json({ ok: true, ...extra });
  else res.redirect(`/sandbox/phone?wa_id=${encodeURIComponent(c.wa_id)}&name=${encodeURIComponent(c.name)}`);
}

const guard = [requireUser, can('inbox:reply')];
const name = (n: string) => n || DEFAULT_CUSTOMER.name;

function readRoutes(r: Router, deps: Deps): void {
  r.get('/sandbox/phone', ...guard, (req, res) => {
    const s = sandboxFor(deps);
    const c = Customer.safeParse({ wa_id: req.query.wa_id ?? DEFAULT_CUSTOMER.wa_id, name: req.query.name ?? DEFAULT_CUSTOMER.name });
    const customer = c.success ? { ...c.data, name: name(c.data.name) } : DEFAULT_CUSTOMER;
    const bubbles = s ? phoneBubbles(s.sandbox, customer.wa_id) : [];
    res.page('sandbox/phone', { title: req.t('whatsapp.sandbox.phone_title'), on: !!s, number: s?.number, customer, bubbles });
  });

  r.get('/sandbox/phone/messages.json', ...guard, (req, res) => {
    const s = running(deps);
    const waId = parse(WaId, req.query.wa_id);
    res.set('Cache-Control', 'no-store').json({ messages: phoneBubbles(s.sandbox, waId) });
  });

}

function customerRoutes(r: Router, deps: Deps): void {
  r.post('/sandbox/phone/send', ...guard, async (req, res) => {
    const s = running(deps);
    const input = parse(SendInput, req.body);
    const sent = await s.sandbox.simulateInbound({ from: input.wa_id, type: 'text', text: input.text, profileName: name(input.name), phoneNumberId: s.number.phoneNumberId });
    done(req, res, input, { wamid: sent.wamid });
  });

  r.post('/sandbox/phone/tap', ...guard, async (req, res) => {
    const s = running(deps);
    const input = parse(TapInput, req.body);
    const base = { from: input.wa_id, profileName: name(input.name), phoneNumberId: s.number.phoneNumberId, context: { id: input.context } };
    const spec = input.kind === 'quick_reply'
      ? { ...base, type: 'button', button: { text: input.title, payload: input.id } }
      : { ...base, type: 'interactive', interactive: input.kind === 'reply'
        ? { type: 'button_reply', button_reply: { id: input.id, title: input.title } }
        : { type: 'list_reply', list_reply: { id: input.id, title: input.title } } };
    const sent = await s.sandbox.simulateInbound(spec);
    done(req, res, input, { wamid: sent.wamid });
  });

  r.post('/sandbox/phone/read', ...guard, (req, res) => {
    const s = running(deps);
    const input = parse(ReadInput, req.body);
    const ok = s.sandbox.markReadByCustomer(input.wamid);
    done(req, res, input, { read: ok });
  });
}

export function sandboxRoutes(deps: Deps): Router {
  const r = Router();
  readRoutes(r, deps);
  customerRoutes(r, deps);
  return r;
}
