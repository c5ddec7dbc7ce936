import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRuntimeConfig, natsConnectionOptions } from './config.js';

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
