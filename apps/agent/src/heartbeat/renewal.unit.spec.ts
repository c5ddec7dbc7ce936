import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renewalDue } from './renewal.js';

it('renews between 50% and 80% of the validity', () => {
  const from = Date.parse('2026-01-01T00:00:00Z');
  const to = from + 100_000;
  assert.equal(renewalDue(from, to, 0), from + 50_000);
  assert.equal(renewalDue(from, to, 0.5), from + 65_000);
  assert.ok(renewalDue(from, to, 0.999999) < from + 80_000);
});
