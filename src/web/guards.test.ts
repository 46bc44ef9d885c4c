import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeNext } from './guards.js';

describe('safeNext (return-to after login / language switch)', () => {
  it('keeps same-site paths', () => {
    assert.equal(safeNext('/contacts?q=ana'), '/contacts?q=ana');
    assert.equal(safeNext('/'), '/');
  });
  it('refuses anything a browser would send to another host', () => {
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'evil', '/\t/evil.example', '']) {
      assert.equal(safeNext(bad), '/', bad);
    }
  });
});
