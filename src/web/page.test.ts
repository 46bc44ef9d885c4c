// A flash queued before a redirect is in the session store before the
// browser can follow the redirect (express-session alone saves only after the
// response head has gone out, so the next page could miss it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngine } from '../../test/db.js';
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';

let app: TestApp;
let owner: HttpClient;
before(async () => {
  app = await startTestApp();
  owner = app.client();
  await completeSetup(owner);
});
after(async () => app.close());

const FLASH_KEY = 'whatsapp.autoreplies.settings_saved';

describe('redirects after a flash', () => {
  it('the session holding the flash is saved before the redirect is sent', async () => {
    const token = await owner.csrf('/settings/auto-replies');
    const body = new URLSearchParams({ _csrf: token, keywords: 'BAJA, STOP', confirmation: '', gap_minutes: '30' }).toString();
    // On Postgres, hold the session rows so the store's write has to wait: the
    // redirect must wait with it. (SQLite has one connection; there the check
    // below is the whole test.)
    const pg = testEngine() === 'postgres';
    const trx = pg ? await app.deps.db.transaction() : null;
    if (trx) await trx('sessions').forUpdate().select('id');
    let answered = false;
    const pending = fetch(`${app.url}/settings/auto-replies/settings`, {
      method: 'POST', redirect: 'manual', body,
      headers: { cookie: owner.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    }).then((r) => {
      answered = true;
      return r;
    });
    if (trx) {
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(answered, false, 'no redirect while the session write is still waiting');
      await trx.commit();
    }
    const res = await pending;
    assert.equal(res.status, 302);
    const rows = await app.deps.db('sessions').select('sess');
    assert.ok(rows.some((r: { sess: string }) => String(r.sess).includes(FLASH_KEY)), 'the flash is stored when the redirect arrives');
    await res.text();
    const next = await owner.get(res.headers.get('location')!);
    assert.match(next.text, /Ajustes de bajas guardados\./);
  });
});
