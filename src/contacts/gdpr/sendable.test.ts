// Opted-out contacts are out of every business-initiated send: the helpers
// senders use (isSendable for one contact, excludeOptedOut for an audience
// query), checked against real rows after an import that records consent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { excludeOptedOut, isSendable } from '../consent.js';
import { contactById } from '../queries.js';
import { importFile, ownerClient } from '../import/test-helpers.js';

describe('consent: who business-initiated sends may reach', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    const c = await ownerClient(app);
    await importFile(app, c, 'consent.csv', 'Teléfono,Acepta\n+52 55 8000 0001,sí\n+52 55 8000 0002,no\n+52 55 8000 0003,\n');
  });
  after(() => app.close());

  it('excludes opted-out contacts from an audience query and keeps unknown ones', async () => {
    const phones = await excludeOptedOut(app.deps.db('contacts').select('phone').orderBy('phone')).then((r) => r.map((x: { phone: string }) => x.phone));
    assert.deepEqual(phones, ['+525580000001', '+525580000003']);
  });

  it('says whether one contact may be messaged first', async () => {
    const rows = await app.deps.db('contacts').orderBy('phone').select('id', 'opt_in');
    assert.deepEqual(rows.map((r) => isSendable(r)), [true, false, true]);
    assert.equal(isSendable((await contactById(app.deps.db, rows[1].id))!), false);
  });
});
