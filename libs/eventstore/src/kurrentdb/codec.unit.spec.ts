import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import type { JSONRecordedEvent, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';

import { registerTestEventType } from '../contract/helpers.js';
import { readableIssue } from '../skipped-events.js';
import { prepareNewEvent } from '../new-event.js';
import type { NewEvent } from '../port.js';
import { decodeEvent, encodeEvent, kurrentEventId } from './codec.js';
import { MissingPositionError } from './mapping.js';

for (const [type, version] of [['CodecNamed', 2], ['CodecRotated', 1], ['Full', 3], ['T', 1]] as const) registerTestEventType(type, version);

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the server would hand back for an encoded event, at a given revision and position. */
function recorded(event: NewEvent, stream: string, revision: bigint, position: bigint | undefined): KurrentRecordedEvent {
  const data = encodeEvent(prepareNewEvent(event));
  const stored: JSONRecordedEvent = {
    streamId: stream,
    id: data.id,
    isJson: true,
    revision,
    type: data.type,
    created: new Date(),
    data: JSON.parse(JSON.stringify(data.data)) as JSONRecordedEvent['data'],
    metadata: JSON.parse(JSON.stringify(data.metadata)) as JSONRecordedEvent['metadata'],
    ...(position === undefined ? {} : { position: { commit: position, prepare: position } }),
  };
  return stored;
}

describe('KurrentDB codec: event ids', () => {
  it('keeps a lower-case UUID as the KurrentDB id', () => {
    const id = randomUUID();
    assert.equal(kurrentEventId(id), id);
  });

  it('derives a stable name-based UUID from any other id', () => {
    const derived = kurrentEventId('rotation-of-1234');
    assert.match(derived, UUID_V5);
    assert.equal(kurrentEventId('rotation-of-1234'), derived, 'same id, same UUID: retries stay idempotent');
    assert.notEqual(kurrentEventId('rotation-of-1235'), derived);
    const upper = randomUUID().toUpperCase();
    assert.match(kurrentEventId(upper), UUID_V5);
  });
});

describe('KurrentDB codec: metadata', () => {
  it('writes correlation and causation under the names KurrentDB projections read', () => {
    const event: NewEvent = {
      id: randomUUID(),
      type: 'CodecNamed',
      schemaVersion: 2,
      data: { name: 'n1' },
      metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'user:alice' },
      time: '2026-11-26T22:58:07.587066548Z',
    };
    const data = encodeEvent(prepareNewEvent(event));
    assert.equal(data.id, event.id);
    assert.equal(data.contentType, 'application/json');
    assert.equal(data.type, 'CodecNamed');
    assert.deepEqual(data.data, { name: 'n1' });
    assert.deepEqual(data.metadata, {
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
      actor: 'user:alice',
      schemaVersion: 2,
      time: '2026-11-26T22:58:07.587066548Z',
    });
  });

  it('keeps a non-UUID event id in the metadata and fills a missing time', () => {
    const data = encodeEvent(prepareNewEvent({
      id: 'token-rotation-7',
      type: 'CodecRotated',
      schemaVersion: 1,
      data: {},
      metadata: { correlationId: 'c', actor: 'service:token' },
    }));
    const metadata = data.metadata as Record<string, unknown>;
    assert.equal(metadata.eventId, 'token-rotation-7');
    assert.equal('$causationId' in metadata, false);
    assert.match(String(metadata.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
  });

  it('round-trips every field, with revision and position from the server', () => {
    const event: NewEvent = {
      id: 'not-a-uuid-1',
      type: 'Full',
      schemaVersion: 3,
      data: { nested: { list: [1, 'two', null], flag: true } },
      metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'service:contract' },
      time: '2026-11-26T22:58:07.587066548Z',
    };
    const decoded = decodeEvent(recorded(event, 'network-1', 4n, 98765n));
    assert.deepEqual(decoded, { ...event, stream: 'network-1', revision: 4, position: 98765 });
  });

  it('leaves causationId out when there is none (no undefined key)', () => {
    const event: NewEvent = { id: randomUUID(), type: 'T', schemaVersion: 1, data: [1, 2], metadata: { correlationId: 'c', actor: 'a' } };
    const decoded = decodeEvent(recorded(event, 's', 0n, 10n));
    assert.deepEqual(decoded.metadata, { correlationId: 'c', actor: 'a' });
    assert.equal(decoded.id, event.id);
  });

  it('hands an event it did not write as an $undecodable stand-in (readers skip it), and refuses one without an $all position', () => {
    const event: NewEvent = { id: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: { correlationId: 'c', actor: 'a' } };
    const good = recorded(event, 's', 3n, 10n);
    for (const foreign of [{ ...good, metadata: undefined }, { ...good, metadata: { $correlationId: 'c' } }, { ...good, isJson: false, data: new Uint8Array() }]) {
      const decoded = decodeEvent(foreign as KurrentRecordedEvent);
      assert.deepEqual([decoded.type, decoded.stream, decoded.revision, decoded.position], ['$undecodable', 's', 3, 10]);
      assert.match(readableIssue(decoded) ?? '', /not written by/);
    }
    assert.throws(() => decodeEvent(recorded(event, 's', 0n, undefined)), MissingPositionError);
  });

  it('validates the event before anything is sent', () => {
    const bad = { id: '', type: 'T', schemaVersion: 1, data: {}, metadata: { correlationId: 'c', actor: 'a' } };
    assert.throws(() => prepareNewEvent(bad), TypeError);
    assert.throws(() => prepareNewEvent({ ...bad, id: 'x', metadata: { correlationId: 'c' } as NewEvent['metadata'] }), TypeError);
  });
});
