// The template library: paged sync from Meta (the sandbox), the status
// webhook, creating and submitting a template, and the pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncTemplates } from './templates-sync.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
before(async () => {
  t = await startChannelTest({ samples: false });
});
after(async () => t.close());

const local = (name: string) => t.app.deps.db('templates').where({ name }).first();

describe('sync', () => {
  it('follows every page (250 templates, 100 per page) into the library', async () => {
    for (let i = 0; i < 250; i++) t.sb.sandbox.state.addTemplate({ name: `promo_${String(i).padStart(3, '0')}`, language: 'es_MX', category: 'MARKETING', wabaId: t.number.wabaId });
    const before = t.sb.sandbox.state.requests.templates_list ?? 0;
    const r = await syncTemplates(t.app.deps);
    assert.deepEqual([r.fetched, r.created, r.errors.length], [250, 250, 0]);
    assert.equal((t.sb.sandbox.state.requests.templates_list ?? 0) - before, 3, 'three pages');
    assert.equal(Number((await t.app.deps.db('templates').count({ n: '*' }).first())!.n), 250);
    const again = await syncTemplates(t.app.deps);
    assert.deepEqual([again.created, again.updated], [0, 250]);
  });

  it('marks templates deleted at Meta as DELETED', async () => {
    t.sb.sandbox.state.deleteTemplates(t.number.wabaId, 'promo_000');
    const r = await syncTemplates(t.app.deps);
    assert.equal(r.removed, 1);
    assert.equal((await local('promo_000')).status, 'DELETED');
  });

  it('the "sync now" button reports the result in the user\'s language', async () => {
    const res = await t.owner.post('/templates/sync', {}, { csrfFrom: '/templates' });
    assert.equal(res.status, 302);
    const page = await t.owner.get('/templates');
    assert.match(page.text, /Plantillas sincronizadas: 249 en Meta/);
  });
});

describe('creating a template and the status webhook', () => {
  it('refuses names and bodies Meta would refuse, in Spanish', async () => {
    const res = await t.owner.post('/templates', { number_id: String(t.number.id), name: 'Mal Nombre', language: 'es_MX', category: 'UTILITY', header_type: 'NONE', body: '{{1}} hola {{3}}', body_examples: '' }, { csrfFrom: '/templates/new' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Solo minúsculas, números y guiones bajos/);
    assert.match(res.text, /Numera las variables en orden/);
  });

  it('submits to Meta as PENDING, then the APPROVED webhook updates it and emits template.updated', async () => {
    const form = {
      number_id: String(t.number.id), name: 'cita_confirmada', language: 'es_MX', category: 'UTILITY', header_type: 'TEXT', header_text: 'Tu cita',
      body: 'Hola {{1}}, tu cita es el {{2}}. ¡Te esperamos!', body_examples: 'Ana\n12 de mayo', footer: 'Clínica Sonrisa', quick_replies: 'Confirmar, Cambiar',
    };
    const res = await t.owner.post('/templates', form, { csrfFrom: '/templates/new' });
    assert.equal(res.status, 302, res.text.slice(0, 300));
    const row = await local('cita_confirmada');
    assert.equal(row.status, 'PENDING');
    const atMeta = t.sb.sandbox.state.findTemplate(t.number.wabaId, 'cita_confirmada', 'es_MX');
    assert.equal(atMeta?.status, 'PENDING');
    assert.deepEqual(atMeta?.components.find((c) => c.type === 'BODY')?.example, { body_text: [['Ana', '12 de mayo']] });
    const seen: string[] = [];
    const off = t.app.deps.events.on('template.updated', (e) => seen.push(`${e.templateId}:${e.status}`));
    t.sb.sandbox.state.approveTemplate('cita_confirmada');
    await t.settle();
    off();
    assert.equal((await local('cita_confirmada')).status, 'APPROVED');
    assert.deepEqual(seen, [`${row.id}:APPROVED`]);
  });

  it('a REJECTED webhook keeps the reason; a duplicate submission is refused', async () => {
    t.sb.sandbox.state.setTemplateStatus('cita_confirmada', 'REJECTED');
    await t.settle();
    const row = await local('cita_confirmada');
    assert.equal(row.status, 'REJECTED');
    assert.equal(row.rejected_reason, 'INVALID_FORMAT');
    const res = await t.owner.post('/templates', { number_id: String(t.number.id), name: 'cita_confirmada', language: 'es_MX', category: 'UTILITY', header_type: 'NONE', body: 'Hola {{1}}, nada.', body_examples: 'Ana' }, { csrfFrom: '/templates/new' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Ya existe una plantilla con ese nombre/);
  });

  it('a status webhook for a template we do not have yet triggers a sync', async () => {
    const tpl = t.sb.sandbox.state.addTemplate({ name: 'nueva_en_meta', language: 'es_MX', status: 'PENDING', wabaId: t.number.wabaId });
    t.sb.sandbox.state.approveTemplate(tpl.name);
    await t.settle();
    assert.equal((await local('nueva_en_meta'))?.status, 'APPROVED');
  });
});

describe('pages', () => {
  it('the list shows category, language, status, quality and the body with its variables; the page has a live preview', async () => {
    const list = await t.owner.get('/templates?status=APPROVED');
    assert.equal(list.status, 200);
    assert.match(list.text, /nueva_en_meta/);
    assert.doesNotMatch(list.text, /promo_000/);
    const row = await local('cita_confirmada');
    const page = await t.owner.get(`/templates/${row.id}`);
    assert.match(page.text, /data-var="1"/);
    assert.match(page.text, /value="Ana"/);
    assert.match(page.text, /\/assets\/js\/templates\.js/);
    assert.match(page.text, /<mark class="tpl-var">\{\{1\}\}<\/mark>/);
    assert.doesNotMatch(page.text, /<script>/);
  });

  it('viewers can read the library but not sync or create', async () => {
    const { makeUser, login } = await import('../../test/factories.js');
    const viewer = await makeUser(t.app.deps, 'viewer');
    const c = t.app.client();
    await login(c, viewer.email);
    assert.equal((await c.get('/templates')).status, 200);
    assert.equal((await c.get('/templates/new')).status, 403);
    const token = await c.csrf('/templates');
    assert.equal((await c.post('/templates/sync', {}, { csrf: token })).status, 403);
  });
});
