// Settings → Custom fields: list, create, relabel/options, reorder, delete,
// plus the default country for phone numbers typed without +.
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { contactDefaults, setDefaultCountry } from './defaults.js';
import { contactsWithField, customFields } from './fields-queries.js';
import { FieldInput, FieldPatch } from './fields-schema.js';
import { createField, editField, getField, moveField, removeField } from './fields-service.js';
import { CUSTOM_FIELD_TYPES } from './segments/condition.js';
import { countriesWithTimezone } from './timezone.js';

const BASE = '/settings/fields';
const write = [requireUser, can('settings:write')];

function idOf(req: Request): number {
  const n = Number(req.params.id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFound('contacts.fields.not_found');
  return n;
}

async function listData(deps: Deps, req: Request) {
  const [fields, used, limit, defaults] = await Promise.all([
    customFields(deps.db), deps.plans.usage('custom_fields'), deps.plans.limit('custom_fields'), contactDefaults(deps),
  ]);
  return {
    fields, used, limit, atLimit: limit !== null && used >= limit, types: CUSTOM_FIELD_TYPES,
    countries: countriesWithTimezone().sort(), defaultCountry: defaults.defaultCountry ?? '', title: req.t('contacts.fields.title'),
  };
}

const CountryForm = z.object({ country: z.preprocess((v) => (v === '' ? null : v), z.string().regex(/^[A-Z]{2}$/).nullable()) });

function listAndCreate(r: Router, deps: Deps): void {
  r.get(BASE, ...write, async (req, res) => {
    res.page('contacts/fields', { ...(await listData(deps, req)), values: { type: 'text' } });
  });

  r.post(BASE, ...write, async (req, res) => {
    res.form('contacts/fields', await listData(deps, req));
    const f = await createField(deps, parse(FieldInput, req.body), req.audit);
    req.flash('success', 'contacts.fields.created', { label: f.label });
    res.redirect(BASE);
  });

  r.post(`${BASE}/country`, ...write, async (req, res) => {
    res.form('contacts/fields', await listData(deps, req));
    const { country } = parse(CountryForm, req.body);
    await setDefaultCountry(deps.db, country, deps.clock.now());
    await req.audit(deps.db, { action: 'contacts.default_country_set', entityType: 'setting', after: { country } });
    req.flash('success', 'contacts.fields.country_saved');
    res.redirect(BASE);
  });

}

function editing(r: Router, deps: Deps): void {
  r.get(`${BASE}/:id`, ...write, async (req, res) => {
    const f = await getField(deps, idOf(req));
    res.page('contacts/field-edit', { field: f, contacts: await contactsWithField(deps.db, f.id), values: { label: f.label, options: f.options.join('\n') }, title: f.label });
  });

  r.post(`${BASE}/:id`, ...write, async (req, res) => {
    const f = await getField(deps, idOf(req));
    res.form('contacts/field-edit', { field: f, contacts: await contactsWithField(deps.db, f.id), title: f.label });
    const updated = await editField(deps, f.id, parse(FieldPatch, req.body), req.audit);
    req.flash('success', 'contacts.fields.updated', { label: updated.label });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/move`, ...write, async (req, res) => {
    await moveField(deps, idOf(req), req.body.direction === 'up' ? 'up' : 'down', req.audit);
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/delete`, ...write, async (req, res) => {
    const f = await removeField(deps, idOf(req), req.audit);
    req.flash('success', 'contacts.fields.deleted', { label: f.label });
    res.redirect(BASE);
  });
}

export function fieldRoutes(r: Router, deps: Deps): void {
  listAndCreate(r, deps);
  editing(r, deps);
}
