// The calendar through HTTP: adding, editing and cancelling an appointment
// from the contact page (CSRF, Spanish field errors, values kept), who may
// do it, and the inbox's contact panel listing what is coming.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { seedContact, seedConversation, seedNumber } from '../inbox/test-seed.js';
import { addEvent, insertEvents } from './test-helpers.js';

const FORM = { title: 'Limpieza dental', date: '2026-11-25', start_time: '10:00', end_time: '10:45', notes: 'Primera visita', assigned_user_id: '' };

describe('calendar pages', () => {
  let app: TestApp;
  let owner: HttpClient;
  let contact: number;
  const page = () => owner.get(`/contacts/${contact}`);
  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
    contact = await seedContact(app.deps, '+5215512349999', { first: 'Lucía', last: 'Pérez' });
  });
  after(() => app.close());

  it('the contact page offers "Próximas citas" with an add form', async () => {
    const res = await page();
    assert.equal(res.status, 200);
    assert.match(res.text, /Próximas citas/);
    assert.match(res.text, new RegExp(`action="/contacts/${contact}/events"`));
    assert.match(res.text, /No hay citas próximas\./);
    const form = await owner.get(`/contacts/${contact}/events/new`);
    assert.equal(form.status, 200);
    assert.match(form.text, /Nueva cita/);
    assert.match(form.text, /Fecha y horas en America\/Mexico_City\./);
    assert.equal((await owner.get('/contacts/999999/events/new')).status, 404);
  });

  it('adds an appointment (CSRF checked) and lists it on the contact page', async () => {
    const noToken = await owner.post(`/contacts/${contact}/events`, FORM);
    assert.equal(noToken.status, 403);
    const res = await owner.post(`/contacts/${contact}/events`, FORM, { csrfFrom: `/contacts/${contact}` });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/contacts/${contact}#events`);
    const row = await app.deps.db('events').where({ contact_id: contact }).first();
    assert.equal(row.title, 'Limpieza dental');
    assert.equal(Number(row.starts_at), Date.UTC(2026, 10, 25, 16, 0));
    assert.equal(Number(row.created_by), (await app.deps.db('users').where({ email: 'ana@clinica.mx' }).first()).id);
    const html = (await page()).text;
    assert.match(html, /Cita «Limpieza dental» agregada\./);
    assert.match(html, /Limpieza dental/);
    assert.match(html, /25 nov 2026 · 10:00 – 10:45/);
    assert.match(html, /Programada/);
    assert.match(html, /Evento Limpieza dental/, 'on the timeline');
  });

  it('an end before the start re-renders the form with the Spanish error and the typed values', async () => {
    const res = await owner.post(`/contacts/${contact}/events`, { ...FORM, title: 'Ortodoncia', start_time: '12:00', end_time: '11:00' }, { csrfFrom: `/contacts/${contact}` });
    assert.equal(res.status, 422);
    assert.match(res.text, /La hora de fin debe ser posterior a la de inicio\./);
    assert.match(res.text, /value="Ortodoncia"/);
    assert.equal((await app.deps.db('events').where({ title: 'Ortodoncia' })).length, 0);
  });

  it('edits an appointment: the form shows the typed times, saving moves it', async () => {
    const id = (await app.deps.db('events').where({ contact_id: contact, title: 'Limpieza dental' }).first()).id;
    const form = await owner.get(`/calendar/events/${id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.text, /name="start_time" type="time" value="10:00"/);
    assert.match(form.text, /name="date" type="date" value="2026-11-25"/);
    const res = await owner.post(`/calendar/events/${id}`, { ...FORM, title: 'Limpieza profunda', start_time: '11:30', end_time: '12:15', status: 'confirmed' }, { csrfFrom: `/calendar/events/${id}/edit` });
    assert.equal(res.status, 303);
    const row = await app.deps.db('events').where({ id }).first();
    assert.equal(row.title, 'Limpieza profunda');
    assert.equal(Number(row.starts_at), Date.UTC(2026, 10, 25, 17, 30));
    assert.equal(row.status, 'confirmed');
    assert.match((await page()).text, /Confirmada/);
    assert.equal((await owner.get('/calendar/events/999999/edit')).status, 404);
    assert.equal((await owner.get('/calendar/events/abc/edit')).status, 404);
  });

  it('cancels an appointment: it leaves the upcoming list', async () => {
    const id = (await app.deps.db('events').where({ contact_id: contact, title: 'Limpieza profunda' }).first()).id;
    const res = await owner.post(`/calendar/events/${id}/cancel`, {}, { csrfFrom: `/contacts/${contact}` });
    assert.equal(res.status, 303);
    assert.equal((await app.deps.db('events').where({ id }).first()).status, 'cancelled');
    const html = (await page()).text;
    assert.match(html, /Cita «Limpieza profunda» cancelada\./);
    assert.doesNotMatch(html, new RegExp(`/calendar/events/${id}/edit`));
  });

  it('a viewer sees the appointments but cannot add one; an agent can', async () => {
    await addEvent(app.deps, contact, { title: 'Control anual', date: '2026-12-01' });
    const viewer = await makeUser(app.deps, 'viewer');
    const v = app.client();
    await login(v, viewer.email);
    const html = (await v.get(`/contacts/${contact}`)).text;
    assert.match(html, /Control anual/);
    assert.doesNotMatch(html, new RegExp(`action="/contacts/${contact}/events"`));
    assert.doesNotMatch(html, /\/cancel"/);
    const token = await v.csrf(`/contacts/${contact}`);
    assert.equal((await v.post(`/contacts/${contact}/events`, FORM, { csrf: token })).status, 403);
    assert.equal((await v.get(`/contacts/${contact}/events/new`)).status, 403);
    assert.equal((await v.get('/calendar')).status, 200);

    const agent = await makeUser(app.deps, 'agent');
    const a = app.client();
    await login(a, agent.email);
    const res = await a.post(`/contacts/${contact}/events`, { ...FORM, title: 'Cita del agente', assigned_user_id: String(agent.id) }, { csrfFrom: `/contacts/${contact}` });
    assert.equal(res.status, 303);
    assert.equal(Number((await app.deps.db('events').where({ title: 'Cita del agente' }).first()).assigned_user_id), agent.id);
    const bad = await a.post(`/contacts/${contact}/events`, { ...FORM, assigned_user_id: String(viewer.id) }, { csrfFrom: `/contacts/${contact}` });
    assert.equal(bad.status, 422, 'a viewer cannot be assigned');
    assert.match(bad.text, /Elige a alguien activo del equipo/);
  });

  it('the inbox contact panel shows the next upcoming appointments, not past or cancelled ones', async () => {
    const lucia = await seedContact(app.deps, '+5215512348888', { first: 'Inés' });
    const conv = await seedConversation(app.deps, lucia, await seedNumber(app.deps));
    const now = app.clock.now();
    await insertEvents(app.deps, [
      { title: 'Pasada', startsAt: now - 3 * 3600_000, contactId: lucia },
      { title: 'Anulada', startsAt: now + 3600_000, contactId: lucia, status: 'cancelled' },
      { title: 'Blanqueamiento', startsAt: Date.UTC(2026, 10, 26, 15, 0), contactId: lucia },
    ]);
    const html = (await owner.get(`/inbox/${conv}`)).text;
    const panel = html.slice(html.indexOf('class="contact-panel"'));
    assert.match(panel, /Próximas citas/);
    assert.match(panel, /Blanqueamiento/);
    assert.match(panel, /26 nov 2026 · 9:00/);
    assert.doesNotMatch(panel, /Pasada|Anulada/);
    assert.match(panel, new RegExp(`href="/contacts/${lucia}#events"`));
  });
});
