// One contact: create and edit forms (per-field errors, a duplicate phone
// names and links the existing contact), the details page with custom
// fields, tags, notes, consent history and the activity timeline.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { setConsent } from './consent.js';
import { contactDefaults } from './defaults.js';
import { customFields } from './fields-queries.js';
import { activityOf, consentOf, notesOf } from './history-queries.js';
import { addNote } from './notes.js';
import { consentView, contactDetails, notesView, presentTags, timelineView } from './present.js';
import { fmt } from './routes-list.js';
import { ConsentInput, ContactId, ContactInput, contactFormToInput, NoteInput } from './schema.js';
import { createContact, deleteContact, DuplicateContact, getContact, updateContact } from './service.js';
import { allTags, tagsOfContacts } from './tags-queries.js';
import type { Contact } from './queries.js';
import { contactCalendar } from '../calendar/service.js';

const TIMELINE_PAGE = 50;

/** `/contacts/:id` only for numeric ids, so /contacts/export, /contacts/import… reach their own routers. */
export const numericId: RequestHandler = (req, _res, next) => (/^\d{1,15}$/.test(String(req.params.id)) ? next() : next('route'));

function idOf(req: Request): number {
  const r = ContactId.safeParse(req.params.id);
  if (!r.success) throw new NotFound('contacts.not_found');
  return r.data;
}

/** What the form needs besides values: field definitions, known tags, the default country hint. */
async function formData(deps: Deps, req: Request, extra: Record<string, unknown> = {}) {
  const [fields, tags, defaults] = await Promise.all([customFields(deps.db), allTags(deps.db), contactDefaults(deps)]);
  return { fields, tagNames: tags.map((t) => t.name), defaultCountry: defaults.defaultCountry, duplicate: null, ...extra };
}

function formValues(c: Contact, tags: string[]): Record<string, unknown> {
  const v: Record<string, unknown> = {
    phone: c.phone, first_name: c.firstName ?? '', last_name: c.lastName ?? '', email: c.email ?? '',
    display_name: c.displayName !== [c.firstName, c.lastName].filter(Boolean).join(' ') && c.displayName !== c.phone ? c.displayName : '',
    language: c.language ?? '', timezone: c.timezone ?? '', tags: tags.join(', '),
  };
  for (const [k, val] of Object.entries(c.custom)) v[`custom.${k}`] = typeof val === 'boolean' ? String(val) : val;
  return v;
}

/** A duplicate phone re-renders the form with the phone error and a link to the contact that has it. */
async function saveOrExplain(req: Request, res: Response, view: string, data: Record<string, unknown>, save: () => Promise<Contact>) {
  try {
    const c = await save();
    req.flash('success', view === 'contacts/new' ? 'contacts.created' : 'contacts.updated', { name: c.displayName });
    res.redirect(`/contacts/${c.id}`);
  } catch (e) {
    if (!(e instanceof DuplicateContact)) throw e;
    res.page(view, { ...data, values: req.body, errors: { phone: req.t('contacts.phone_taken', { name: e.existing.name }) }, duplicate: e.existing }, { status: 409 });
  }
}

function formRoutes(r: Router, deps: Deps): void {
  r.get('/contacts/new', requireUser, can('contacts:write'), async (req, res) => {
    res.page('contacts/new', await formData(deps, req, { values: {}, title: req.t('contacts.new.title') }));
  });

  r.post('/contacts', requireUser, can('contacts:write'), async (req, res) => {
    const data = await formData(deps, req, { title: req.t('contacts.new.title') });
    res.form('contacts/new', data);
    const input = parse(ContactInput, contactFormToInput(req.body));
    const optIn = req.body.opt_in === 'opted_in' ? 'opted_in' as const : undefined;
    await saveOrExplain(req, res, 'contacts/new', data, () => createContact(deps, req.actor, { ...input, opt_in: optIn }, req.audit));
  });

  r.get('/contacts/:id/edit', numericId, requireUser, can('contacts:write'), async (req, res) => {
    const c = await getContact(deps, idOf(req));
    const tags = ((await tagsOfContacts(deps.db, [c.id])).get(c.id) ?? []).map((t) => t.name);
    res.page('contacts/edit', await formData(deps, req, { contact: { id: c.id, name: c.displayName }, values: formValues(c, tags), title: req.t('contacts.edit.title', { name: c.displayName }) }));
  });

  r.post('/contacts/:id', numericId, requireUser, can('contacts:write'), async (req, res) => {
    const c = await getContact(deps, idOf(req));
    const data = await formData(deps, req, { contact: { id: c.id, name: c.displayName }, title: req.t('contacts.edit.title', { name: c.displayName }) });
    res.form('contacts/edit', data);
    const input = parse(ContactInput, contactFormToInput(req.body));
    await saveOrExplain(req, res, 'contacts/edit', data, () => updateContact(deps, req.actor, c.id, input, req.audit));
  });
}

async function detailsPage(deps: Deps, req: Request, res: Response, id: number) {
  const c = await getContact(deps, id);
  const f = fmt(req, res);
  const before = typeof req.query.before === 'string' ? req.query.before.split('.').map(Number) : null;
  const cursor = before && before.length === 2 && before.every(Number.isSafeInteger) ? { at: before[0]!, id: before[1]! } : undefined;
  const [fields, tags, notes, consent, activity, calendar] = await Promise.all([
    customFields(deps.db), tagsOfContacts(deps.db, [id]), notesOf(deps.db, id), consentOf(deps.db, id), activityOf(deps.db, id, TIMELINE_PAGE + 1, cursor),
    contactCalendar(deps, id, f),
  ]);
  const timeline = timelineView(activity.slice(0, TIMELINE_PAGE), f);
  const last = timeline[timeline.length - 1];
  return {
    contact: contactDetails(c, fields, f), tags: presentTags(tags.get(id) ?? []), notes: notesView(notes, f),
    consent: consentView(consent, f), timeline, calendar,
    olderHref: activity.length > TIMELINE_PAGE && last ? `/contacts/${id}?before=${last.atMs}.${last.id}#timeline` : null,
    title: c.displayName,
  };
}

function detailRoutes(r: Router, deps: Deps): void {
  r.get('/contacts/:id', numericId, requireUser, can('contacts:read'), async (req, res) => {
    res.page('contacts/show', await detailsPage(deps, req, res, idOf(req)));
  });

  r.post('/contacts/:id/notes', numericId, requireUser, can('contacts:write'), async (req, res) => {
    const id = idOf(req);
    res.form('contacts/show', await detailsPage(deps, req, res, id));
    const { body } = parse(NoteInput, req.body);
    await addNote(deps, req.actor, id, body, req.audit);
    req.flash('success', 'contacts.note_added');
    res.redirect(`/contacts/${id}#notes`);
  });

  r.post('/contacts/:id/consent', numericId, requireUser, can('contacts:write'), async (req, res) => {
    const id = idOf(req);
    res.form('contacts/show', await detailsPage(deps, req, res, id));
    const input = parse(ConsentInput, { ...req.body, source: 'agent' });
    await setConsent(deps, req.actor, id, input, req.audit);
    req.flash('success', input.status === 'opted_in' ? 'contacts.consent.recorded_in' : 'contacts.consent.recorded_out');
    res.redirect(`/contacts/${id}#consent`);
  });

  r.post('/contacts/:id/delete', numericId, requireUser, can('contacts:delete'), async (req, res) => {
    const c = await deleteContact(deps, idOf(req), req.audit);
    req.flash('success', 'contacts.deleted', { name: c.displayName });
    res.redirect('/contacts');
  });
}

export function contactRoutes(r: Router, deps: Deps): void {
  formRoutes(r, deps);
  detailRoutes(r, deps);
}
