import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StreamNotFoundError, UnavailableError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';

import { WrongExpectedRevisionError } from '../port.js';
import {
  actualRevision,
  errorType,
  hasPosition,
  isTransientError,
  mapAppendError,
  MissingPositionError,
  toGlobalPosition,
  toReadPosition,
  toSafeNumber,
  toStreamState,
} from './mapping.js';

describe('KurrentDB mapping: revisions and expected revisions', () => {
  it('passes no_stream and any through and turns a revision into a bigint', () => {
    assert.equal(toStreamState('s', 'no_stream'), 'no_stream');
    assert.equal(toStreamState('s', 'any'), 'any');
    assert.equal(toStreamState('s', 0), 0n);
    assert.equal(toStreamState('s', 41), 41n);
  });

  it('rejects a negative or fractional expected revision before sending anything', () => {
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => toStreamState('s', bad), RangeError);
  });

  it('reads server counters as exact numbers, and refuses those past 2^53', () => {
    assert.equal(toSafeNumber(0n, 'revision'), 0);
    assert.equal(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'revision'), Number.MAX_SAFE_INTEGER);
    assert.throws(() => toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'revision'), RangeError);
    assert.throws(() => toSafeNumber(-1n, 'revision'), RangeError);
  });
});

describe('KurrentDB mapping: $all positions', () => {
  it('uses the commit position as the global position', () => {
    assert.equal(toGlobalPosition({ commit: 1234n, prepare: 1234n }, 'e'), 1234);
  });

  it('refuses an absent position or the server\'s "no position" marker', () => {
    assert.throws(() => toGlobalPosition(undefined, 'e'), MissingPositionError);
    assert.throws(() => toGlobalPosition({ commit: 0xffff_ffff_ffff_ffffn, prepare: 0xffff_ffff_ffff_ffffn }, 'e'), MissingPositionError);
    assert.throws(() => toGlobalPosition({ commit: 0n, prepare: 0n }, 'e'), MissingPositionError);
    assert.equal(hasPosition(undefined), false);
    assert.equal(hasPosition({ commit: 10n, prepare: 10n }), true);
  });

  it('refuses events of explicit transactions, whose commit position is shared', () => {
    assert.throws(() => toGlobalPosition({ commit: 2000n, prepare: 1800n }, 'e'), /explicit transaction/);
  });

  it('reads from a position with commit = prepare = the position', () => {
    assert.deepEqual(toReadPosition(1234), { commit: 1234n, prepare: 1234n });
    assert.throws(() => toReadPosition(-1), RangeError);
    assert.throws(() => toReadPosition(0.5), RangeError);
  });
});

describe('KurrentDB mapping: errors', () => {
  it('maps WrongExpectedVersion to the port conflict error with the actual revision', () => {
    const err = new WrongExpectedVersionError(undefined, { streamName: 's-1', expected: 3n, current: 5n });
    const mapped = mapAppendError(err, 's-1', 3);
    assert.ok(mapped instanceof WrongExpectedRevisionError);
    assert.equal(mapped.stream, 's-1');
    assert.equal(mapped.expected, 3);
    assert.equal(mapped.actual, 5);
  });

  it('maps a missing stream to actual no_stream', () => {
    const err = new WrongExpectedVersionError(undefined, { streamName: 's-2', expected: 0n, current: 'no_stream' });
    const mapped = mapAppendError(err, 's-2', 0);
    assert.ok(mapped instanceof WrongExpectedRevisionError);
    assert.equal(mapped.actual, 'no_stream');
    assert.equal(actualRevision(-1n), 'no_stream');
    assert.equal(actualRevision(undefined), 'unknown');
  });

  it('leaves every other error as it is', () => {
    const unavailable = new UnavailableError();
    assert.equal(mapAppendError(unavailable, 's', 'any'), unavailable);
    const plain = new Error('boom');
    assert.equal(mapAppendError(plain, 's', 'any'), plain);
  });

  it('tells transient errors (reopen a subscription) from the others', () => {
    assert.equal(isTransientError(new UnavailableError()), true);
    assert.equal(isTransientError(new StreamNotFoundError(undefined, 's')), false);
    assert.equal(isTransientError(new Error('boom')), false);
    assert.equal(errorType(new StreamNotFoundError(undefined, 's')), 'stream-not-found');
    assert.equal(errorType('not an error'), undefined);
  });
});
