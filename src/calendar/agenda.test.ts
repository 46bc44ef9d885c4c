// The agenda at /calendar: upcoming events grouped by day on the install's
// wall clock (across a DST change), keyset pages, the assigned-user filter,
// links to the contact; cancelled and earlier-than-today events left out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { seedContact } from '../inbox/test-seed.js';
import { agendaPage } from './service.js';
import { insertEvents } from './test-helpers.js';

const NY = 'America/New_York';
const HOUR = 3600_000;

/** Day headings (their datetime) and the titles under each, in page order. */
function days(html: string): Array<{ day: string; titles: string[] }> {
  return html.split('<section class="card agenda-day"').slice(1).map((s) => ({
    day: /<time datetime="([\d-]+)">/.exec(s)![1]!,
    titles: [...s.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]!),
  }));
}

describe('agenda', () => {
  let app: TestApp;
  let owner: HttpClient;
  let contact: number;
  let agentId: number;
  before(async () => {
    app = await startTestApp();
    app.clock.t = Date.UTC(2026, 9, 31, 16, 0); // Sat 31 Oct 2026, 12:00 in New York (EDT); DST ends Sun 1 Nov at 02:00
    owner = app.client();
    await completeSetup(owner, { timezone: NY });
    contact = await seedContact(app.deps, '+5215512347777', { first: 'Rosa' });
    agentId = (await makeUser(app.deps, 'agent', { name: 'Beto Agente' })).id;
    await insertEvents(app.deps, [
      { title: 'Ayer', startsAt: Date.UTC(2026, 9, 30, 16, 0) }, // Friday: before today, not listed
      { title: 'Sábado temprano', startsAt: Date.UTC(2026, 9, 31, 12, 0), contactId: contact }, // 08:00 EDT today: over, but today is listed whole
      { title: 'Sábado noche', startsAt: Date.UTC(2026, 10, 1, 3, 30), contactId: contact, assignedUserId: agentId }, // 23:30 EDT Saturday
      { title: 'Domingo 00:30', startsAt: Date.UTC(2026, 10, 1, 4, 30) }, // 00:30 EDT Sunday
      { title: 'Anulada', startsAt: Date.UTC(2026, 10, 1, 14, 0), status: 'cancelled' },
      { title: 'Domingo 23:30', startsAt: Date.UTC(2026, 10, 2, 4, 30), assignedUserId: agentId }, // 23:30 EST Sunday (UTC-5 now)
      { title: 'Lunes', startsAt: Date.UTC(2026, 10, 2, 14, 0) }, // 09:00 EST Monday
    ]);
  });
  after(() => app.close());

  it('groups by the wall-clock day of the install across the DST change, in time order', async () => {
    const res = await owner.get('/calendar');
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /Próximamente|coming in a later release/i);
    assert.deepEqual(days(res.text), [
      { day: '2026-10-31', titles: ['Sábado temprano', 'Sábado noche'] },
      { day: '2026-11-01', titles: ['Domingo 00:30', 'Domingo 23:30'] },
      { day: '2026-11-02', titles: ['Lunes'] },
    ]);
    assert.match(res.text, /domingo, 1 de noviembre de 2026/);
    assert.match(res.text, /23:30 – 0:00/, 'times on the New York clock after the change');
    assert.match(res.text, new RegExp(`href="/contacts/${contact}#events">Rosa`));
  });

  it('filters by assigned user', async () => {
    const res = await owner.get(`/calendar?user=${agentId}`);
    assert.deepEqual(days(res.text).flatMap((d) => d.titles), ['Sábado noche', 'Domingo 23:30']);
    assert.match(res.text, new RegExp(`<option value="${agentId}" selected>Beto Agente</option>`));
    assert.equal((await owner.get('/calendar?user=abc')).status, 422);
    assert.equal((await owner.get('/calendar?after=nope')).status, 422);
  });

  it('pages with a (starts_at, id) keyset: no event twice, none skipped, ties on the same instant kept apart', async () => {
    const base = Date.UTC(2026, 10, 10, 15, 0);
    await insertEvents(app.deps, Array.from({ length: 7 }, (_, i) => ({ title: `Empate ${i}`, startsAt: base })));
    const seen: string[] = [];
    let after: { startsAt: number; id: number } | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const p = await agendaPage(app.deps, { timeZone: NY, assignedUserId: null, after, limit: 3 });
      seen.push(...p.events.map((e) => e.title));
      if (!p.next) break;
      const [s, id] = p.next.split('.').map(Number);
      after = { startsAt: s!, id: id! };
    }
    assert.equal(seen.length, 5 + 7);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen.slice(0, 6), ['Sábado temprano', 'Sábado noche', 'Domingo 00:30', 'Domingo 23:30', 'Lunes', 'Empate 0']);
  });

  it('the page links to the next page when there are more than 50, and that page continues', async () => {
    await insertEvents(app.deps, Array.from({ length: 45 }, (_, i) => ({ title: `Serie ${String(i).padStart(2, '0')}`, startsAt: Date.UTC(2026, 10, 20, 14, 0) + i * HOUR })));
    const first = await owner.get('/calendar');
    const firstTitles = days(first.text).flatMap((d) => d.titles);
    assert.equal(firstTitles.length, 50);
    const next = /href="(\/calendar\?after=\d+\.\d+)" rel="next"/.exec(first.text);
    assert.ok(next, 'a next link');
    const second = await owner.get(next[1]!);
    const secondTitles = days(second.text).flatMap((d) => d.titles);
    assert.equal(secondTitles.length, 5 + 7 + 45 - 50);
    assert.equal(secondTitles.at(-1), 'Serie 44');
    assert.ok(!secondTitles.some((x) => firstTitles.includes(x)));
    assert.match(second.text, /href="\/calendar">Desde hoy/);
  });
});
