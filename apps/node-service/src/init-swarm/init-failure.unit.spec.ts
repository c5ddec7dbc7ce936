import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DomainError, SwarmErrors } from '#contracts';
import { ProjectionTimeoutError, WrongExpectedRevisionError } from '#eventstore';
import { isRetryableInitFailure, refusalOf, retryDelayMs } from './init-failure.js';

it('tries again what may pass later, abandons what a step refused or what fails the same way again', () => {
  assert.equal(isRetryableInitFailure(new DomainError(SwarmErrors.serviceUnavailable('ipam.initialize'))), true);
  assert.equal(isRetryableInitFailure(new DomainError(SwarmErrors.readModelBehind('behind'))), true);
  assert.equal(isRetryableInitFailure(new DomainError(SwarmErrors.updateOutOfSequence())), true);
  assert.equal(isRetryableInitFailure(new WrongExpectedRevisionError('membership', 'no_stream', 3)), true);
  assert.equal(isRetryableInitFailure(new ProjectionTimeoutError('gateway', 10, 5, 5000)), true);
  assert.equal(isRetryableInitFailure(new DomainError(SwarmErrors.invalidParameter('subnet size is out of range: 40'))), false);
  assert.equal(isRetryableInitFailure(new DomainError(SwarmErrors.system('ca.issueNodeCertificate: Invalid time value'))), false);
  assert.equal(isRetryableInitFailure(new TypeError("Cannot read properties of undefined (reading 'x')")), false);
});

it('records the refusal as the step gave it, bounded', () => {
  assert.deepEqual(refusalOf(new DomainError(SwarmErrors.invalidParameter('bad'))), SwarmErrors.invalidParameter('bad'));
  assert.deepEqual(refusalOf(new RangeError('x'.repeat(5000))), { code: 'System', kind: 'System', message: 'x'.repeat(4096) });
});

it('waits longer each time, up to 5 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(retryDelayMs), [250, 500, 1000, 2000, 4000, 5000, 5000]);
});
