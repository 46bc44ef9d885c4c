// Calendar pages: the agenda (/calendar), adding an event from the contact
// page, editing and cancelling one. Times on forms are typed in the install's
// time zone (an edit keeps the zone the event was typed in).
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { getContact } from '../contacts/service.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { EDITABLE_STATUSES, EventId, AgendaQuery } from './schema.js';
import { formValues, groupByDay, type Fmt } from './present.js';
import { agendaPage, assigneeOptions, cancelEvent, createEvent, getEvent, updateEvent } from './service.js';

const read = [requireUser, can('calendar:read')];
const write = [requireUser, can('calendar:write')];

const fmt = (req: Request, res: Response): Fmt => ({ locale: req.locale, timeZone: res.locals.settings.timezone, t: req.t });

function idParam(v: unknown, code: string): number {
  const r = EventId.safeParse(v);
  if (!r.success) throw new NotFound(code);
  return r.data;
}

async function formData(deps: Deps, req: Request, o: { contact: { id: number; name: string } | null; eventId: number | null; timeZone: string }) {
  return {
    assignees: await assigneeOptions(deps), statuses: o.eventId ? EDITABLE_STATUSES : [], timeZone: o.timeZone, contact: o.contact,
    action: o.eventId ? `/calendar/events/${o.eventId}` : `/contacts/${o.contact!.id}/events`,
    title: req.t(o.eventId ? 'calendar.edit.title' : 'calendar.new.title'),
  };
}

const backTo = (contactId: number | null) => (contactId ? `/contacts/${contactId}#events` : '/calendar');

function agenda(r: Router, deps: Deps): void {
  r.get('/calendar', ...read, async (req, res) => {
    const q = parse(AgendaQuery, req.query);
    const f = fmt(req, res);
    const page = await agendaPage(deps, { timeZone: f.timeZone, assignedUserId: q.user, after: q.after });
    const userParam = q.user ? `user=${q.user}&` : '';
    res.page('calendar/agenda', {
      days: groupByDay(page.events, f), assignees: await assigneeOptions(deps), userFilter: q.user, timeZone: f.timeZone,
      nextHref: page.next ? `/calendar?${userParam}after=${page.next}` : null,
      firstHref: q.after ? `/calendar${q.user ? `?user=${q.user}` : ''}` : null, title: req.t('calendar.title'),
    });
  });
}

function create(r: Router, deps: Deps): void {
  const contactOf = async (req: Request) => {
    const c = await getContact(deps, idParam(req.params.id, 'contacts.not_found'));
    return { id: c.id, name: c.displayName };
  };

  r.get('/contacts/:id/events/new', ...write, async (req, res) => {
    const contact = await contactOf(req);
    res.page('calendar/form', await formData(deps, req, { contact, eventId: null, timeZone: res.locals.settings.timezone }));
  });

  r.post('/contacts/:id/events', ...write, async (req, res) => {
    const contact = await contactOf(req);
    const timeZone = res.locals.settings.timezone;
    res.form('calendar/form', await formData(deps, req, { contact, eventId: null, timeZone }));
    const e = await createEvent(deps, req.actor, { ...req.body, time_zone: timeZone, contact_id: contact.id }, req.audit);
    req.flash('success', 'calendar.created', { title: e.title });
    res.redirect(303, backTo(contact.id));
  });
}

function edit(r: Router, deps: Deps): void {
  const load = (req: Request) => getEvent(deps, idParam(req.params.id, 'calendar.not_found'));
  const contactOf = (e: { contactId: number | null; contactName: string | null }) => (e.contactId ? { id: e.contactId, name: e.contactName ?? '' } : null);

  r.get('/calendar/events/:id/edit', ...write, async (req, res) => {
    const e = await load(req);
    res.page('calendar/form', { ...(await formData(deps, req, { contact: contactOf(e), eventId: e.id, timeZone: e.timeZone })), values: formValues(e) });
  });

  r.post('/calendar/events/:id', ...write, async (req, res) => {
    const e = await load(req);
    res.form('calendar/form', await formData(deps, req, { contact: contactOf(e), eventId: e.id, timeZone: e.timeZone }));
    const saved = await updateEvent(deps, req.actor, e.id, { ...req.body, time_zone: e.timeZone }, req.audit);
    req.flash('success', 'calendar.updated', { title: saved.title });
    res.redirect(303, backTo(saved.contactId));
  });

  r.post('/calendar/events/:id/cancel', ...write, async (req, res) => {
    const e = await cancelEvent(deps, req.actor, idParam(req.params.id, 'calendar.not_found'), req.audit);
    req.flash('success', 'calendar.cancelled', { title: e.title });
    res.redirect(303, backTo(e.contactId));
  });
}

export function calendarRoutes(deps: Deps): Router {
  const r = Router();
  agenda(r, deps);
  create(r, deps);
  edit(r, deps);
  return r;
}
