import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { completeSetup, login, makeUser } from '../../test/factories.js';

describe('/metrics', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { CHATFLOW_METRICS_TOKEN: 'metrics-token-0123456789' } });
    await completeSetup(app.client());
  });
  after(() => app.close());

  it('needs the token or an admin session', async () => {
    const anon = app.client();
    assert.equal((await anon.get('/metrics')).status, 403);
    assert.equal((await anon.get('/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status, 403);
    const ok = await anon.get('/metrics', { authorization: 'Bearer metrics-token-0123456789' });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /chatflow_http_requests_total\{[^}]*method="GET"/);
    assert.match(ok.text, /chatflow_license_days_left\{app="chatflow"\} 14/);
  });

  it('is served to an owner session and refused to an agent', async () => {
    const owner = app.client();
    await login(owner, 'ana@clinica.mx');
    assert.equal((await owner.get('/metrics')).status, 200);
    const agent = await makeUser(app.deps, 'agent');
    const c = app.client();
    await login(c, agent.email);
    assert.equal((await c.get('/metrics')).status, 403);
  });
});
