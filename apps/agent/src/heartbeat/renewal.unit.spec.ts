import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renewalDue, renewalReason } from './renewal.js';

it('renews between 50% and 80% of the validity', () => {
  const from = Date.parse('2026-01-01T00:00:00Z');
  const to = from + 100_000;
  assert.equal(renewalDue(from, to, 0), from + 50_000);
  assert.equal(renewalDue(from, to, 0.5), from + 65_000);
  assert.ok(renewalDue(from, to, 0.999999) < from + 80_000);
});

it('renews when the manager reports another role than the certificate, or when due', () => {
  const base = { nowMs: 1_000, dueMs: 2_000 };
  assert.equal(renewalReason({ ...base, certificateRole: 'worker', reportedRole: 'worker' }), undefined);
  assert.equal(renewalReason({ ...base, certificateRole: 'worker', reportedRole: 'manager' }), 'role');
  assert.equal(renewalReason({ ...base, certificateRole: 'manager', reportedRole: 'worker' }), 'role');
  assert.equal(renewalReason({ ...base, certificateRole: undefined, reportedRole: 'worker' }), 'role');
  assert.equal(renewalReason({ nowMs: 2_000, dueMs: 2_000, certificateRole: 'worker', reportedRole: 'worker' }), 'expiry');
});
