import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { registerEventSchema } from '#contracts';
import { newEvent } from './contract/helpers.js';
import { InvalidEventError, prepareNewEvent } from './new-event.js';

const engine = { hostname: 'h1', engineVersion: '29.0.0', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 1 << 30 };
const node = {
  nodeId: 'n1', clusterId: 'c1', role: 'worker', availability: 'active', labels: { a: 'b' }, addr: '10.0.0.2', leader: false,
  engine, registeredAt: '2026-12-04T20:00:00.123456789Z',
};
const spec = {
  Name: 'default', Labels: {}, Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
  Dispatcher: { HeartbeatPeriod: 5e9 }, CAConfig: { NodeCertExpiry: 7776000000000000 }, TaskDefaults: {}, EncryptionConfig: { AutoLockManagers: false },
};
const updated = { clusterId: 'c1', spec, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false };
const network = {
  networkId: 'x1', clusterId: 'c1', name: 'web', driver: 'overlay', ingress: false, internal: false, attachable: false,
  labels: {}, options: {}, subnet: '10.0.1.0/24', gateway: '10.0.1.1', explicitSubnet: false, vxlanId: 4097, createdAt: '2026-12-04T20:00:00Z',
};
const sealed = { alg: 'A256GCM', kid: 'k1', iv: 'AAAAAAAAAAAAAAAA', ct: 'c2VjcmV0', tag: 'AAAAAAAAAAAAAAAAAAAAAA==' };
const rotated = { clusterId: 'c1', role: 'worker', secret: sealed, fingerprint: 'sha256:ab' };

/** The issue's poison, and more: each must be refused before anything is written. */
const malformed: readonly [string, string, unknown, RegExp][] = [
  ['NodeRegistered', 'engine null', { ...node, engine: null }, /data\.engine/],
  ['NodeRegistered', 'engine without hostname', { ...node, engine: { ...engine, hostname: undefined } }, /hostname/],
  ['NodeRegistered', 'labels as an array', { ...node, labels: ['a'] }, /labels/],
  ['NodeRegistered', 'a label that is a number', { ...node, labels: { a: 1 } }, /labels/],
  ['NodeRegistered', 'an unknown role', { ...node, role: 'boss' }, /role/],
  ['NodeRegistered', 'an unknown availability', { ...node, availability: 'asleep' }, /availability/],
  ['NodeRegistered', 'a time that is no RFC 3339', { ...node, registeredAt: 'yesterday' }, /registeredAt/],
  ['NodeRegistered', 'a node id that is no id', { ...node, nodeId: 'a/../b' }, /nodeId/],
  ['SwarmUpdated', 'NodeCertExpiry "abc"', { ...updated, spec: { ...spec, CAConfig: { NodeCertExpiry: 'abc' } } }, /NodeCertExpiry/],
  ['SwarmUpdated', 'NodeCertExpiry past any date', { ...updated, spec: { ...spec, CAConfig: { NodeCertExpiry: 1e300 } } }, /NodeCertExpiry/],
  ['SwarmUpdated', 'a fractional HeartbeatTick', { ...updated, spec: { ...spec, Raft: { ...spec.Raft, HeartbeatTick: 1.5 } } }, /HeartbeatTick/],
  ['NetworkCreated', 'name 5', { ...network, name: 5 }, /name/],
  ['NetworkCreated', 'name {"a":1}', { ...network, name: { a: 1 } }, /name/],
  ['NetworkCreated', 'a name of 1 MB', { ...network, name: 'n'.repeat(1 << 20) }, /name/],
  ['NetworkCreated', 'labels as an array', { ...network, labels: ['a=b'] }, /labels/],
  ['NetworkCreated', 'a VXLAN id of 25 bits', { ...network, vxlanId: 1 << 24 }, /vxlanId/],
  ['JoinTokenRotated', 'a plaintext secret', { ...rotated, secret: 'SWMTKN-1-secret' }, /secret/],
  ['JoinTokenRotated', 'a sealed secret of another algorithm', { ...rotated, secret: { ...sealed, alg: 'none' } }, /secret/],
  ['JoinTokenRotated', 'a sealed secret with a short IV', { ...rotated, secret: { ...sealed, iv: 'AAAA' } }, /iv/],
];

describe('prepareNewEvent checks each event against its schema', () => {
  it('accepts well-formed swarm events', () => {
    for (const [type, data] of [['NodeRegistered', node], ['SwarmUpdated', updated], ['NetworkCreated', network], ['JoinTokenRotated', rotated]] as const) {
      assert.equal(prepareNewEvent(newEvent(type, data)).type, type);
    }
  });

  for (const [type, what, data, path] of malformed) {
    it(`refuses ${type} with ${what}`, () => {
      const event = newEvent(type, data);
      assert.throws(() => prepareNewEvent(event), (err: unknown) => {
        assert.ok(err instanceof InvalidEventError);
        assert.equal(err.eventType, type);
        assert.equal(err.eventId, event.id);
        assert.match(err.issue.path.join('.'), path);
        assert.ok(err.message.length < 1000, 'the message does not carry the value');
        return true;
      });
    });
  }

  it('refuses an unknown type and a known type at an unknown schema version', () => {
    const unknown = { ...newEvent(), type: 'NeverRegistered' };
    assert.throws(() => prepareNewEvent(unknown), (err: unknown) => err instanceof InvalidEventError && /unknown event type/.test(err.message));
    assert.throws(() => prepareNewEvent({ ...newEvent('NodeRegistered', node), schemaVersion: 2 }), InvalidEventError);
  });

  it('lets no caller replace the schema of a swarm event', () => {
    assert.throws(() => registerEventSchema('NodeRegistered', 1), /cannot be replaced/);
    assert.throws(() => registerEventSchema('NodeRegistered', 2), /cannot be replaced/);
    assert.throws(() => prepareNewEvent(newEvent('NodeRegistered', { ...node, engine: null })), InvalidEventError);
  });
});
