import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadRuntimeConfig, selectEventStore } from './config.js';

const nats = ['nats://127.0.0.1:14222'];

describe('EVENTSTORE_URL selects the event store', () => {
  it('keeps JetStream on NATS_URL when unset, empty, nats or jetstream', () => {
    for (const url of [undefined, '', '  ', 'nats', 'jetstream', 'NATS']) {
      assert.deepEqual(selectEventStore(url, nats), { kind: 'jetstream', servers: nats }, String(url));
    }
  });

  it('uses JetStream on the NATS servers it names', () => {
    assert.deepEqual(selectEventStore('nats://a:4222, tls://b:4222', nats), { kind: 'jetstream', servers: ['nats://a:4222', 'tls://b:4222'] });
  });

  it('chooses KurrentDB for kurrentdb:// and esdb:// URLs, cluster forms included', () => {
    for (const url of ['kurrentdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false', 'esdb+discover://c:2113', 'kurrentdb+discover://c:2113']) {
      assert.deepEqual(selectEventStore(url, nats), { kind: 'kurrentdb', connectionString: url });
    }
  });

  it('refuses anything else rather than fall back silently, without echoing a password', () => {
    assert.throws(() => selectEventStore('postgres://u:hunter2@h/db', nats), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /EVENTSTORE_URL/);
      assert.doesNotMatch(err.message, /hunter2/);
      return true;
    });
    assert.throws(() => selectEventStore('nats://a:4222,kurrentdb://b:2113', nats), /EVENTSTORE_URL/);
  });

  it('is read by loadRuntimeConfig', () => {
    assert.equal(loadRuntimeConfig({ NATS_URL: nats[0] }).eventStore.kind, 'jetstream');
    const config = loadRuntimeConfig({ NATS_URL: nats[0], EVENTSTORE_URL: 'kurrentdb://k:2113?tls=false' });
    assert.deepEqual(config.eventStore, { kind: 'kurrentdb', connectionString: 'kurrentdb://k:2113?tls=false' });
    assert.deepEqual(config.natsServers, nats, 'the bus stays on NATS');
  });
});
