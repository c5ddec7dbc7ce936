import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadRuntimeConfig, natsConnectionOptions, selectEventStore } from './config.js';

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


describe('loadRuntimeConfig', () => {
  it('defaults to file storage and leaves the replicas to the stream (1 when new)', () => {
    const config = loadRuntimeConfig({});
    assert.equal(config.eventReplicas, undefined);
    assert.equal(config.eventStorage, 'file');
  });

  it('reads EVENTSTORE_REPLICAS, EVENTSTORE_STORAGE and a comma-separated NATS_URL', () => {
    const config = loadRuntimeConfig({ EVENTSTORE_REPLICAS: '3', EVENTSTORE_STORAGE: 'memory', NATS_URL: 'nats://127.0.0.1:1, nats://127.0.0.1:2,' });
    assert.equal(config.eventReplicas, 3);
    assert.equal(config.eventStorage, 'memory');
    assert.deepEqual(config.natsServers, ['nats://127.0.0.1:1', 'nats://127.0.0.1:2']);
    assert.equal(loadRuntimeConfig({ EVENT_REPLICAS: '3' }).eventReplicas, 3, 'the older name still works');
  });

  it('refuses replica counts and storages JetStream does not have', () => {
    for (const bad of ['0', '6', '2.5', 'three']) assert.throws(() => loadRuntimeConfig({ EVENTSTORE_REPLICAS: bad }), /EVENTSTORE_REPLICAS/);
    assert.throws(() => loadRuntimeConfig({ EVENTSTORE_STORAGE: 'disk' }), /EVENTSTORE_STORAGE/);
  });

  it('makes every connection reconnect forever to any server of the list', () => {
    const options = natsConnectionOptions(loadRuntimeConfig({ NATS_URL: 'nats://127.0.0.1:1,nats://127.0.0.1:2' }));
    assert.equal(options.maxReconnectAttempts, -1);
    assert.deepEqual(options.servers, ['nats://127.0.0.1:1', 'nats://127.0.0.1:2']);
  });
});
