// Bulk actions as background jobs, over HTTP: the confirmation states the
// count, the POST freezes the audience and leads to a progress page, the
// worker applies the action in batches (one ledger/timeline row per change),
// cancel, failures, permissions, the audit trail, the nudge that makes a
// small job instant, and the REST API. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, newKey } from '../../../test/api-helpers.js';
import { installed, seedContact, signedIn, textOf, type Session } from '../test-support.js';
import { bulkJobById } from './jobs.js';
import { SimulatedCrash } from './run.js';
import { perContact, histogram, seedMany } from './test-helpers.js';
import { drainBulkJobs, startBulkWorker } from './worker.js';

let s: Session;
let ids: number[];
const N = 1200;

before(async () => {
  s = await installed();
  ids = await seedMany(s.app.deps.db, N, s.app.clock.now());
});
after(async () => { await s.app.close(); });

const db = () => s.app.deps.db;
const count = async (q: ReturnType<ReturnType<typeof db>>) => Number((await q.count({ n: '*' }).first())!.n);
const jobIdOf = (location: string | null) => Number(/^\/contacts\/bulk\/(\d+)$/.exec(location ?? '')?.[1]);

describe('bulk jobs from the contacts list', () => {
  it('tags exactly the contacts that matched at confirmation, in batches, and reports progress', async () => {
    const unknown = (await db()('contacts').where({ opt_in: 'unknown' }).orderBy('id').pluck('id')).map(Number);
    assert.equal(unknown.length, 800);
    const confirm = await s.owner.get('/contacts/bulk?opt_in=unknown&action=tag&tag_name=campa%C3%B1a-nov');
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.text), /Se agregará la etiqueta «campaña-nov» a 800 contactos/);
    const r = await s.owner.post('/contacts/bulk', { opt_in: 'unknown', action: 'tag', tag_name: 'campaña-nov' }, { csrfFrom: '/contacts' });
    assert.equal(r.status, 303);
    const id = jobIdOf(r.location);
    assert.deepEqual([(await bulkJobById(db(), id))!.status, (await bulkJobById(db(), id))!.total], ['queued', 800]);

    // After confirmation: a new matching contact is not part of the job; a contact that stops matching still is.
    const late = await seedContact(s.app.deps, { phone: '+52 55 9999 0001', first_name: 'Tardío' });
    await db()('contacts').where({ id: unknown[0] }).update({ opt_in: 'opted_in' });
    const list = await s.owner.get('/contacts');
    assert.match(textOf(list.text), /Acciones masivas en curso Agregar una etiqueta «campaña-nov» — En cola 0 de 800 contactos procesados/);

    assert.equal(await drainBulkJobs(s.app.deps, { batchSize: 500 }), 1);
    const job = (await bulkJobById(db(), id))!;
    assert.deepEqual([job.status, job.total, job.processed, job.affected, job.cursor], ['done', 800, 800, 800, unknown[799]]);
    const tag = await db()('tags').where({ name: 'campaña-nov' }).first();
    const tagged = (await db()('contact_tags').where({ tag_id: tag.id }).orderBy('contact_id').pluck('contact_id')).map(Number);
    assert.deepEqual(tagged, unknown);
    assert.ok(!tagged.includes(late.id));
    assert.deepEqual(histogram(await perContact(db(), 'contact_activity', unknown, { kind: 'change' })), { 1: 800 }, 'one timeline row each');
    assert.equal(await count(db()('bulk_job_items').where({ job_id: id })), 0, 'the frozen ids are dropped once done');

    const page = await s.owner.get(`/contacts/bulk/${id}`);
    assert.match(textOf(page.text), /Listo: se agregó la etiqueta «campaña-nov» a 800 de los 800 contactos que coinciden/);
    assert.match(page.text, /<script src="\/assets\/js\/bulk.js" defer><\/script>/);
    const status = (await s.owner.get(`/contacts/bulk/${id}/status.json`)).json<{ done: boolean; percent: number; affected: number }>();
    assert.deepEqual([status.done, status.percent, status.affected], [true, 100, 800]);
    assert.doesNotMatch((await s.owner.get('/contacts')).text, /Acciones masivas en curso/);

    const audit = await db()('audit_log').where({ entity_type: 'bulk_job', entity_id: String(id) }).orderBy('id');
    assert.deepEqual(audit.map((a: { action: string }) => a.action), ['contacts.bulk_tag', 'contacts.bulk_done']);
    assert.match(audit[0].changes, /"count":800/);
    assert.match(audit[1].changes, /"affected":800/);
    assert.ok(audit.every((a: { user_id: number | null }) => a.user_id !== null), 'the requester is named');
  });

  it('counts only real changes: tagging the same contacts again affects none', async () => {
    const r = await s.owner.post('/contacts/bulk', { opt_in: 'unknown', action: 'tag', tag_name: 'campaña-nov' }, { csrfFrom: '/contacts' });
    await drainBulkJobs(s.app.deps);
    const job = (await bulkJobById(db(), jobIdOf(r.location)))!;
    assert.deepEqual([job.status, job.total, job.affected], ['done', 800, 1], 'only the contact created after the first job');
  });

  it('opts out a search result once each (ledger + timeline), then untags it', async () => {
    const pena = (await db()('contacts').where('last_name', 'Peña').orderBy('id').pluck('id')).map(Number);
    await db()('contacts').where({ id: pena[0] }).update({ opt_in: 'opted_out' });
    const events: number[] = [];
    const off = s.app.deps.events.on('contact.opted_out', (e) => events.push(e.contactId));
    const r = await s.owner.post('/contacts/bulk', { q: 'peña', action: 'opt_out' }, { csrfFrom: '/contacts' });
    await drainBulkJobs(s.app.deps, { batchSize: 100 }); // below the minimum: runs 500 a batch
    off();
    const job = (await bulkJobById(db(), jobIdOf(r.location)))!;
    assert.deepEqual([job.status, job.total, job.affected], ['done', pena.length, pena.length - 1]);
    assert.equal(await count(db()('contacts').whereIn('id', pena).whereNot('opt_in', 'opted_out')), 0);
    const ledger = await perContact(db(), 'consent_events', pena, { detail: `bulk:${job.id}` });
    assert.equal(ledger.get(pena[0]!), 0, 'already opted out: no new ledger row');
    assert.deepEqual(histogram(ledger), { 0: 1, 1: pena.length - 1 });
    assert.deepEqual(histogram(await perContact(db(), 'contact_activity', pena.slice(1), { kind: 'consent' })), { 1: pena.length - 1 });
    assert.deepEqual(events.sort((a, b) => a - b), pena.slice(1));

    const un = await s.owner.post('/contacts/bulk', { q: 'peña', action: 'untag', tag_name: 'campaña-nov' }, { csrfFrom: '/contacts' });
    await drainBulkJobs(s.app.deps);
    const tag = await db()('tags').where({ name: 'campaña-nov' }).first();
    assert.equal(await count(db()('contact_tags').where({ tag_id: tag.id }).whereIn('contact_id', pena)), 0);
    const untag = (await bulkJobById(db(), jobIdOf(un.location)))!;
    assert.ok(untag.affected > 100 && untag.affected < pena.length, `untagged ${untag.affected}`);
  });

  it('refuses a missing or unknown tag with a form error, not a job', async () => {
    const before = await count(db()('bulk_jobs'));
    const r = await s.owner.post('/contacts/bulk', { q: 'ortiz', action: 'untag', tag_name: 'no-existe' }, { csrfFrom: '/contacts' });
    assert.equal(r.status, 422);
    assert.match(textOf(r.text), /Esa etiqueta no existe/);
    const e = await s.owner.post('/contacts/bulk', { q: 'ortiz', action: 'tag', tag_name: ' ' }, { csrfFrom: '/contacts' });
    assert.equal(e.status, 422);
    assert.match(textOf(e.text), /Escribe la etiqueta/);
    assert.equal(await count(db()('bulk_jobs')), before);
  });

  it('fails a job whose tag was deleted meanwhile, with the reason on its page', async () => {
    const r = await s.owner.post('/contacts/bulk', { q: 'ortiz', action: 'tag', tag_name: 'efímera' }, { csrfFrom: '/contacts' });
    await db()('tags').where({ name: 'efímera' }).delete();
    await drainBulkJobs(s.app.deps);
    const id = jobIdOf(r.location);
    assert.equal((await bulkJobById(db(), id))!.status, 'failed');
    assert.match(textOf((await s.owner.get(`/contacts/bulk/${id}`)).text), /La etiqueta «efímera» se eliminó mientras la acción estaba en curso/);
  });

  it('cancels a queued job and one that is mid-way; committed batches stay', async () => {
    const queued = jobIdOf((await s.owner.post('/contacts/bulk', { action: 'tag', tag_name: 'nunca' }, { csrfFrom: '/contacts' })).location);
    const c1 = await s.owner.post(`/contacts/bulk/${queued}/cancel`, {}, { csrfFrom: `/contacts/bulk/${queued}` });
    assert.equal(c1.status, 303);
    assert.equal(await drainBulkJobs(s.app.deps), 0);
    assert.equal(await count(db()('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where('tags.name', 'nunca')), 0);
    assert.equal((await s.owner.post(`/contacts/bulk/${queued}/cancel`, {}, { csrfFrom: `/contacts/bulk/${queued}` })).status, 409);

    const mid = jobIdOf((await s.owner.post('/contacts/bulk', { action: 'tag', tag_name: 'a-medias' }, { csrfFrom: '/contacts' })).location);
    await assert.rejects(drainBulkJobs(s.app.deps, { batchSize: 500, crashAfterBatches: 1 }), SimulatedCrash);
    await s.owner.post(`/contacts/bulk/${mid}/cancel`, {}, { csrfFrom: `/contacts/bulk/${mid}` });
    s.app.clock.advance(120_000);
    assert.equal(await drainBulkJobs(s.app.deps), 0, 'a cancelled job is never resumed');
    const job = (await bulkJobById(db(), mid))!;
    assert.deepEqual([job.status, job.processed, job.affected], ['cancelled', 500, 500]);
    assert.equal(await count(db()('bulk_job_items').where({ job_id: mid })), 0);
    const page = textOf((await s.owner.get(`/contacts/bulk/${mid}`)).text);
    assert.match(page, /1,201 Coinciden 500 Procesados 500 Etiquetados/);
    assert.match(page, /Cancelada tras 500 de 1,201 contactos; 500 cambiaron/);
  });

  it('lets a manager delete all matching (the contact counter follows); an agent may not', async () => {
    const agent = await signedIn(s.app, 'agent');
    const token = await agent.csrf('/contacts');
    assert.equal((await agent.post('/contacts/bulk', { q: 'ortiz', action: 'delete' }, { csrf: token })).status, 403);
    assert.doesNotMatch((await agent.get('/contacts')).text, /value="delete"/);
    const manager = await signedIn(s.app, 'manager');
    const ortiz = await count(db()('contacts').where('last_name', 'Ortiz'));
    const all = await count(db()('contacts'));
    assert.match(textOf((await manager.get('/contacts/bulk?q=ortiz&action=delete')).text), new RegExp(`Se eliminarán ${ortiz} contactos`));
    const r = await manager.post('/contacts/bulk', { q: 'ortiz', action: 'delete' }, { csrfFrom: '/contacts' });
    const del = jobIdOf(r.location);
    assert.equal((await agent.post(`/contacts/bulk/${del}/cancel`, {}, { csrf: token })).status, 403);
    await drainBulkJobs(s.app.deps);
    assert.equal(await count(db()('contacts').where('last_name', 'Ortiz')), 0);
    assert.equal(await count(db()('contacts')), all - ortiz);
    assert.equal(await s.app.deps.plans.usage('contacts'), all - ortiz);
    assert.match(textOf((await manager.get(`/contacts/bulk/${del}`)).text), new RegExp(`Listo: ${ortiz} contactos eliminados`));
  });

  it('keeps the export link on the same filter', async () => {
    const page = await s.owner.get('/contacts?q=garcia&opt_in=opted_in');
    assert.match(page.text, /href="\/contacts\/export\?q=garcia&amp;opt_in=opted_in"/);
  });

  it('runs a small job at once when the worker in this process is nudged', async () => {
    const worker = startBulkWorker(s.app.deps, 60_000); // the poll alone would take a minute
    try {
      const r = await s.owner.post('/contacts/bulk', { q: 'lucia munoz', action: 'tag', tag_name: 'rápida' }, { csrfFrom: '/contacts' });
      const started = Date.now();
      let done = false;
      while (!done && Date.now() - started < 3000) {
        done = (await s.owner.get(`${r.location}/status.json`)).json<{ done: boolean }>().done;
        if (!done) await new Promise((res) => setTimeout(res, 20));
      }
      assert.ok(done, 'done within 3 s');
      const job = (await bulkJobById(db(), jobIdOf(r.location)))!;
      assert.ok(job.total > 10 && job.total < 100 && job.affected === job.total, `total ${job.total}`);
    } finally {
      await worker.stop();
    }
  });
});

describe('bulk jobs in the REST API', () => {
  it('queues a job (202), reports progress and enforces the scope each action needs', async () => {
    const write = (await newKey(s.app.deps, ['contacts:read', 'contacts:write'])).secret;
    const full = (await newKey(s.app.deps, ['contacts:read', 'contacts:write', 'contacts:delete'])).secret;
    const c = s.app.client();
    const post = (body: unknown, key: string) => c.json('POST', '/api/v1/contacts/bulk', body, bearer(key));
    const r = await post({ action: 'tag', tag_name: 'api-vip', q: 'garcia', opt_in: 'opted_in' }, write);
    assert.equal(r.status, 202, r.text);
    const job = r.json<{ id: number; status: string; total: number; action: string }>();
    const want = await count(db()('contacts').where({ last_name: 'García', opt_in: 'opted_in' }));
    assert.deepEqual([job.status, job.total, job.action], ['queued', want, 'tag']);
    await drainBulkJobs(s.app.deps);
    const got = (await c.json('GET', `/api/v1/contacts/bulk/${job.id}`, undefined, bearer(write))).json<{ status: string; processed: number; affected: number }>();
    assert.deepEqual([got.status, got.processed, got.affected], ['done', want, want]);

    const denied = await post({ action: 'delete', q: 'garcia' }, write);
    assert.equal(denied.status, 403);
    assert.equal(denied.json<{ error: { details?: { required_scope?: string } } }>().error.details?.required_scope, 'contacts:delete');
    assert.equal((await post({ action: 'untag' }, full)).status, 422, 'untag needs tag_name');
    assert.equal((await post({ action: 'rename' }, full)).status, 422);
    assert.equal((await c.json('GET', '/api/v1/contacts/bulk/999999', undefined, bearer(full))).status, 404);

    const seg = await post({ action: 'opt_out', condition: { field: 'search', op: 'contains', value: 'sofia lopez' } }, full);
    assert.equal(seg.status, 202, seg.text);
    const cancelled = await c.json('POST', `/api/v1/contacts/bulk/${seg.json<{ id: number }>().id}/cancel`, undefined, bearer(full));
    assert.equal(cancelled.json<{ status: string }>().status, 'cancelled');
    const del = await post({ action: 'delete', q: 'sofia lopez' }, full);
    assert.equal(del.status, 202);
    await drainBulkJobs(s.app.deps);
    assert.equal(await count(db()('contacts').where({ first_name: 'Sofía', last_name: 'López' })), 0);
    const audit = await db()('audit_log').where({ action: 'contacts.bulk_delete', entity_id: String(del.json<{ id: number }>().id) }).first();
    assert.match(audit.actor, /^apikey:/);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await s.app.client().get('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    assert.ok(doc.paths['/contacts/bulk']?.post);
    assert.ok(doc.paths['/contacts/bulk/{id}']?.get);
    assert.ok(doc.paths['/contacts/bulk/{id}/cancel']?.post);
  });
});
