// GDPR actions on one contact: download everything we hold about them, and
// erase them (with a typed confirmation). The buttons live in
// views/contacts/_gdpr.ejs, which the contact page includes.
import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { Conflict, Invalid } from '../../errors.js';
import { readSettings } from '../../settings/service.js';
import { can, requireUser } from '../../web/guards.js';
import { parse } from '../../web/validate.js';
import { getContact } from '../service.js';
import { safeBrand } from '../export/columns.js';
import { eraseContact } from './erase.js';
import { writeContactArchive } from './export.js';

const IdParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toUpperCase();
}

export function gdprRoutes(deps: Deps): Router {
  const r = Router();

  r.post('/contacts/:id/gdpr-export', requireUser, can('contacts:export'), async (req, res) => {
    const contact = await getContact(deps, parse(IdParam, req.params).id);
    const settings = await readSettings(deps.db, { timezone: deps.config.timezone, locale: deps.brand.get().defaultLocale });
    await req.audit(deps.db, { action: 'contact.data_exported', entityType: 'contact', entityId: contact.id });
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: settings.timezone }).format(deps.clock.now());
    res.set('Content-Type', 'application/zip').set('Cache-Control', 'no-store');
    res.attachment(`${safeBrand(deps.brand.get().name)}-${req.t('contacts.gdpr.file_word', { id: contact.id })}-${day}.zip`);
    await writeContactArchive(deps.db, contact.id, res, { t: req.t, timeZone: settings.timezone, now: deps.clock.now() });
  });

  r.get('/contacts/:id/erase', requireUser, can('contacts:delete'), async (req, res) => {
    const contact = await getContact(deps, parse(IdParam, req.params).id);
    res.page('gdpr/erase', { title: req.t('contacts.gdpr.erase_title', { name: contact.displayName }), contact, word: req.t('contacts.gdpr.erase_word') });
  });

  r.post('/contacts/:id/erase', requireUser, can('contacts:delete'), async (req, res) => {
    const contact = await getContact(deps, parse(IdParam, req.params).id);
    const word = req.t('contacts.gdpr.erase_word');
    res.form('gdpr/erase', { title: req.t('contacts.gdpr.erase_title', { name: contact.displayName }), contact, word });
    const typed = String((req.body as Record<string, unknown> | undefined)?.confirm ?? '');
    if (fold(typed) !== fold(word)) throw new Invalid({ confirm: { code: 'contacts.gdpr.erase_mismatch', params: { word } } });
    try {
      await eraseContact(deps, contact.id, req.audit);
    } catch (err) {
      // Shown on the form, where the person can come back to it.
      if (err instanceof Conflict) throw new Invalid({ confirm: { code: err.code } });
      throw err;
    }
    req.flash('success', 'contacts.gdpr.erased', { id: contact.id });
    res.redirect(303, '/contacts');
  });
  return r;
}
