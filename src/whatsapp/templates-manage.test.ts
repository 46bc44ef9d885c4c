// Editing and deleting templates, in the UI and through /api/v1/templates/{id},
// against the sandbox over HTTP: who may be edited, the locked category of an
// approved template, the edit limits, Meta's refusals in the user's language,
// deleting one language or all with a confirm step, disabled ones refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, newKey } from '../../test/api-helpers.js';
import { login, makeUser } from '../../test/factories.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let key: string;
let csrf: string;
const HOUR = 3600_000;
before(async () => {
  t = await startChannelTest({ samples: false });
  key = (await newKey(t.app.deps, ['templates:read', 'templates:write'])).secret;
  csrf = await t.owner.csrf('/templates/new');
});
after(async () => t.close());

const api = (method: string, path: string, body?: unknown, lang = 'es') =>
  t.app.client().json(method, `/api/v1${path}`, body, { ...bearer(key), 'accept-language': lang });
const row = (name: string, language = 'es_MX') => t.app.deps.db('templates').where({ name, language }).first();
const atMeta = (name: string, language = 'es_MX') => t.sb.sandbox.state.findTemplate(t.number.wabaId, name, language)!;
const form = (over: Record<string, string> = {}) => ({
  category: 'UTILITY', parameter_format: 'POSITIONAL', header_type: 'NONE', body: 'Hola {{1}}, tu cita es mañana.', body_examples: 'Ana', ...over,
});

async function create(name: string, language = 'es_MX', category = 'UTILITY') {
  const res = await t.owner.post('/templates', { number_id: String(t.number.id), name, language, ...form({ category }) }, { csrf });
  assert.equal(res.status, 302, res.text.slice(0, 300));
  return row(name, language);
}

describe('editing in the UI', () => {
  it('a PENDING template cannot be edited: no button, and the page says why', async () => {
    const r = await create('recordatorio_cita');
    const page = await t.owner.get(`/templates/${r.id}`);
    assert.doesNotMatch(page.text, /\/edit"/);
    const edit = await t.owner.get(`/templates/${r.id}/edit`);
    assert.equal(edit.status, 409);
    assert.match(edit.text, /Solo se pueden editar plantillas aprobadas, rechazadas o en pausa/);
  });

  it('approved: the form is prefilled; the category is locked; an edit goes back to review at Meta and here', async () => {
    t.sb.sandbox.state.approveTemplate('recordatorio_cita');
    await t.settle();
    const r = await row('recordatorio_cita');
    const page = await t.owner.get(`/templates/${r.id}/edit`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Hola \{\{1\}\}, tu cita es mañana\.<\/textarea>/);
    const locked = await t.owner.post(`/templates/${r.id}/edit`, form({ category: 'MARKETING' }), { csrf });
    assert.equal(locked.status, 422);
    assert.match(locked.text, /no permite cambiar la categoría de una plantilla aprobada/);
    const ok = await t.owner.post(`/templates/${r.id}/edit`, form({ body: 'Hola {{1}}, te esperamos mañana a las {{2}} en punto.', body_examples: 'Ana\n10:00', footer: 'Clínica' }), { csrf });
    assert.equal(ok.status, 302, ok.text.slice(0, 300));
    const meta = atMeta('recordatorio_cita');
    assert.equal(meta.status, 'PENDING');
    assert.deepEqual(meta.components.map((c) => c.type), ['BODY', 'FOOTER']);
    assert.deepEqual(meta.components[0]!.example, { body_text: [['Ana', '10:00']] });
    const after = await row('recordatorio_cita');
    assert.equal(after.status, 'PENDING');
    assert.match(after.components, /te esperamos/);
    assert.match((await t.owner.get(`/templates/${r.id}`)).text, /editada y enviada de nuevo a revisión/);
  });

  it('a second edit of an approved template within 24 h is refused before calling Meta', async () => {
    t.sb.sandbox.state.approveTemplate('recordatorio_cita');
    await t.settle();
    const r = await row('recordatorio_cita');
    const calls = t.sb.sandbox.state.requests.templates_edit ?? 0;
    const res = await t.owner.post(`/templates/${r.id}/edit`, form(), { csrf });
    assert.equal(res.status, 422);
    assert.match(res.text, /una vez cada 24 horas\. Podrás volver a editarla en unas 24 h/);
    assert.equal(t.sb.sandbox.state.requests.templates_edit ?? 0, calls);
  });

  it("Meta's own refusal shows in the user's language with the code (Spanish, English)", async () => {
    const r = await create('aviso_envio');
    t.sb.sandbox.state.setTemplateStatus('aviso_envio', 'REJECTED');
    await t.settle();
    t.sb.sandbox.state.addErrorRule({ route: 'templates_edit', code: 100, details: 'An approved template can be edited 10 times per 30 days', times: 2 });
    const es = await t.owner.post(`/templates/${r.id}/edit`, form({ category: 'MARKETING' }), { csrf });
    assert.equal(es.status, 422);
    assert.match(es.text, /Meta rechazó la plantilla: An approved template can be edited 10 times per 30 days \(código 100\)/);
    const admin = await makeUser(t.app.deps, 'admin', { locale: 'en' });
    const c = t.app.client();
    await login(c, admin.email);
    const en = await c.post(`/templates/${r.id}/edit`, form(), { csrfFrom: `/templates/${r.id}/edit` });
    assert.match(en.text, /Meta rejected the template: An approved template can be edited 10 times per 30 days \(code 100\)/);
    const fixed = await t.owner.post(`/templates/${r.id}/edit`, form({ category: 'MARKETING' }), { csrf });
    assert.equal(fixed.status, 302, 'a rejected template may change category');
    assert.equal(atMeta('aviso_envio').category, 'MARKETING');
    assert.equal((await row('aviso_envio')).category, 'MARKETING');
  });
});

describe('deleting in the UI', () => {
  it('asks first, offering this language or every language; deletes one at Meta and here', async () => {
    const es = await create('bienvenida', 'es_MX');
    await create('bienvenida', 'en_US');
    await create('bienvenida', 'pt_BR');
    const confirm = await t.owner.get(`/templates/${es.id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Solo este idioma \(es_MX\)/);
    assert.match(confirm.text, /Todos los idiomas de «bienvenida»: en_US, es_MX, pt_BR/);
    const res = await t.owner.post(`/templates/${es.id}/delete`, { scope: 'language' }, { csrf });
    assert.equal(res.status, 302);
    assert.equal((await row('bienvenida', 'es_MX')).status, 'DELETED');
    assert.equal((await row('bienvenida', 'en_US')).status, 'PENDING');
    assert.deepEqual(t.sb.sandbox.state.templatesOf(t.number.wabaId).filter((x) => x.name === 'bienvenida').map((x) => x.language).sort(), ['en_US', 'pt_BR']);
    assert.match((await t.owner.get('/templates')).text, /Plantilla «bienvenida» eliminada \(1 idioma\/s\)/);
  });

  it('refuses disabled templates (here and at Meta), then deletes every language', async () => {
    t.sb.sandbox.state.setTemplateStatus('bienvenida', 'DISABLED', 'pt_BR');
    await t.settle();
    const en = await row('bienvenida', 'en_US');
    const refused = await t.owner.post(`/templates/${en.id}/delete`, { scope: 'all' }, { csrf });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /no permite eliminar plantillas desactivadas \(idioma pt_BR\)/);
    const pt = await row('bienvenida', 'pt_BR');
    assert.equal((await t.owner.get(`/templates/${pt.id}/delete`)).status, 409);
    t.sb.sandbox.state.setTemplateStatus('bienvenida', 'APPROVED', 'pt_BR');
    await t.settle();
    assert.equal((await t.owner.post(`/templates/${en.id}/delete`, { scope: 'all' }, { csrf })).status, 302);
    assert.deepEqual((await t.app.deps.db('templates').where({ name: 'bienvenida' }).select('status')).map((x: { status: string }) => x.status), ['DELETED', 'DELETED', 'DELETED']);
    assert.equal(t.sb.sandbox.state.templatesOf(t.number.wabaId).filter((x) => x.name === 'bienvenida').length, 0);
    const again = await t.owner.post('/templates', { number_id: String(t.number.id), name: 'bienvenida', language: 'es_MX', ...form() }, { csrf });
    assert.equal(again.status, 302, 'a deleted name+language can be submitted again');
    assert.equal((await row('bienvenida', 'es_MX')).status, 'PENDING');
  });

  it('viewers cannot edit or delete', async () => {
    const viewer = await makeUser(t.app.deps, 'viewer');
    const c = t.app.client();
    await login(c, viewer.email);
    const r = await row('aviso_envio');
    assert.equal((await c.get(`/templates/${r.id}/edit`)).status, 403);
    assert.equal((await c.post(`/templates/${r.id}/delete`, { scope: 'language' }, { csrfFrom: '/templates' })).status, 403);
  });
});

describe('API', () => {
  it('PATCH /templates/{id}: components replace the old ones; the rules and errors match the UI', async () => {
    const r = await create('pago_recibido');
    const body = { components: [{ type: 'BODY', text: 'Recibimos tu pago de {{1}}, gracias.', example: { body_text: [['$100']] } }] };
    const pending = await api('PATCH', `/templates/${r.id}`, body);
    assert.equal(pending.status, 422);
    assert.match(pending.json<{ error: { details: { fields: { _: { message: string } } } } }>().error.details.fields._.message, /Solo se pueden editar plantillas aprobadas/);
    t.sb.sandbox.state.approveTemplate('pago_recibido');
    await t.settle();
    const cat = await api('PATCH', `/templates/${r.id}`, { category: 'MARKETING' }, 'en');
    assert.equal(cat.status, 422);
    assert.match(JSON.stringify(cat.json()), /category of an approved template/);
    const noExample = await api('PATCH', `/templates/${r.id}`, { components: [{ type: 'BODY', text: 'Pago de {{1}} recibido.' }] });
    assert.equal(noExample.status, 422);
    assert.match(JSON.stringify(noExample.json()), /Meta rechazó la plantilla: BODY: body_text needs an example for each parameter \(código 100\)/);
    const ok = await api('PATCH', `/templates/${r.id}`, body);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.json<{ status: string; body: string }>().status, ok.json<{ body: string }>().body], ['PENDING', 'Recibimos tu pago de {{1}}, gracias.']);
    assert.equal((await api('PATCH', `/templates/${r.id}`, {})).status, 422);
    assert.equal((await api('PATCH', '/templates/99999', body)).status, 404);
  });

  it('DELETE /templates/{id}: one language, or all_languages=true', async () => {
    const es = await create('encuesta', 'es_MX');
    await create('encuesta', 'en_US');
    await create('encuesta', 'es');
    const one = await api('DELETE', `/templates/${es.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json<{ deleted: Array<{ language: string; status: string }> }>().deleted.map((d) => [d.language, d.status]), [['es_MX', 'DELETED']]);
    const en = await row('encuesta', 'en_US');
    const all = await api('DELETE', `/templates/${en.id}?all_languages=true`);
    assert.deepEqual(all.json<{ deleted: Array<{ language: string }> }>().deleted.map((d) => d.language).sort(), ['en_US', 'es']);
    assert.equal(t.sb.sandbox.state.templatesOf(t.number.wabaId).filter((x) => x.name === 'encuesta').length, 0);
    assert.equal((await api('DELETE', `/templates/${en.id}`)).status, 422, 'already deleted');
    const openapi = (await t.app.client().get('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    assert.ok(openapi.paths['/templates/{id}']?.patch && openapi.paths['/templates/{id}']?.delete, 'documented');
  });

  it('the edit limit is counted across edits: the 24 h rule lifts a day later', async () => {
    const r = await row('pago_recibido');
    t.sb.sandbox.state.approveTemplate('pago_recibido');
    await t.settle();
    const body = { components: [{ type: 'BODY', text: 'Pago de {{1}} recibido, gracias.', example: { body_text: [['$5']] } }] };
    assert.equal((await api('PATCH', `/templates/${r.id}`, body)).status, 422);
    const stored = JSON.parse((await row('pago_recibido')).edited_at) as number[];
    await t.app.deps.db('templates').where({ id: r.id }).update({ edited_at: JSON.stringify(stored.map((x) => x - 25 * HOUR)) });
    t.sb.sandbox.state.templateById(atMeta('pago_recibido').id)!.approvedEdits = [];
    assert.equal((await api('PATCH', `/templates/${r.id}`, body)).status, 200);
  });
});
