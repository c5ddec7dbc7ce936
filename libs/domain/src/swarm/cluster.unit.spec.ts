import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, defaultSwarmSpec, type ClusterEvent, type ErrorPayload, type EventData, type SwarmSpec } from '#contracts';
import { decideCluster, evolveCluster, initialCluster, type Cluster, type ClusterCommand } from './cluster.js';

const spec: SwarmSpec = {
  ...defaultSwarmSpec(),
  Labels: { env: 'prod' },
  Orchestration: { TaskHistoryRetentionLimit: 7 },
  Raft: { SnapshotInterval: 20000, KeepOldSnapshots: 2, LogEntriesForSlowFollowers: 600, ElectionTick: 12, HeartbeatTick: 2 },
  Dispatcher: { HeartbeatPeriod: 9_000_000_000 },
  CAConfig: { NodeCertExpiry: 7200e9 },
};

const swarm: EventData<'SwarmCreated'> = {
  clusterId: 'cluster-1',
  spec,
  defaultAddrPool: null,
  subnetSize: 24,
  dataPathPort: 4789,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const created: ClusterEvent = { type: 'SwarmCreated', data: swarm };

const noRotation = { rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false };

const sealed = (n: string) => ({ alg: 'A256GCM' as const, kid: 'k1', iv: 'AAAAAAAAAAAAAAAA', ct: n, tag: 'AAAAAAAAAAAAAAAAAAAAAA==' });
const keyA = { clusterId: 'cluster-1', sealedKey: sealed('QQ=='), keyFingerprint: 'sha256:a', issuedAt: '2026-01-01T00:00:00.000Z' };
const keyB = { clusterId: 'cluster-1', sealedKey: sealed('Qg=='), keyFingerprint: 'sha256:b', issuedAt: '2026-01-02T00:00:00.000Z' };
const keyIssued = (key: typeof keyA): ClusterEvent => ({ type: 'UnlockKeyIssued', data: key });
const keyRemoved: ClusterEvent = { type: 'UnlockKeyRemoved', data: { clusterId: 'cluster-1' } };
const autolock = (on: boolean): SwarmSpec => ({ ...spec, EncryptionConfig: { AutoLockManagers: on } });

const update = (input: Extract<ClusterCommand, { type: 'UpdateSwarm' }>['spec'], rotation = noRotation, unlockKey = keyA): ClusterCommand => ({
  type: 'UpdateSwarm',
  spec: input,
  ...rotation,
  unlockKey,
});

const updated = (newSpec: SwarmSpec, rotation = noRotation): ClusterEvent => ({
  type: 'SwarmUpdated',
  data: { clusterId: 'cluster-1', spec: newSpec, ...rotation },
});

const replay = (events: readonly ClusterEvent[]): Cluster => events.reduce(evolveCluster, initialCluster);

/** Given events, When command, Then events. */
function thenEvents(given: readonly ClusterEvent[], when: ClusterCommand, expected: readonly ClusterEvent[]): void {
  assert.deepEqual(decideCluster(when, replay(given)), expected);
}

/** Given events, When command, Then a DomainError. */
function thenError(given: readonly ClusterEvent[], when: ClusterCommand, expected: ErrorPayload): void {
  assert.throws(
    () => decideCluster(when, replay(given)),
    (error: unknown) => {
      assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
      assert.deepEqual(error.toPayload(), expected);
      return true;
    },
  );
}

describe('decideCluster', () => {
  describe('CreateSwarm', () => {
    it('creates the cluster once', () => {
      thenEvents([], { type: 'CreateSwarm', swarm, unlockKey: keyA }, [created]);
    });

    it('does nothing the second time', () => {
      thenEvents([created], { type: 'CreateSwarm', swarm, unlockKey: keyA }, []);
      thenEvents([created], { type: 'CreateSwarm', swarm: { ...swarm, subnetSize: 26 }, unlockKey: keyA }, []);
    });

    it('records the unlock key with the cluster when the spec asks for autolock', () => {
      const locked = { ...swarm, spec: autolock(true) };
      thenEvents([], { type: 'CreateSwarm', swarm: locked, unlockKey: keyA }, [{ type: 'SwarmCreated', data: locked }, keyIssued(keyA)]);
    });
  });

  describe('UpdateSwarm', () => {
    it('refuses when there is no cluster', () => {
      thenError([], update({}), {
        code: 'NotInSwarm',
        kind: 'Unavailable',
        message:
          'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
      });
    });

    it('refuses a name change', () => {
      thenError([created], update({ Name: 'prod' }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'rpc error: code = InvalidArgument desc = modification of cluster name is not allowed',
      });
    });

    it('accepts the current name or none', () => {
      thenEvents([created], update({ Name: 'default' }), [updated(spec)]);
      thenEvents([created], update({ Name: '' }), [updated(spec)]);
    });

    it('carries the rotation flags into SwarmUpdated', () => {
      for (const rotation of [
        { rotateWorkerToken: true, rotateManagerToken: false, rotateManagerUnlockKey: false },
        { rotateWorkerToken: false, rotateManagerToken: true, rotateManagerUnlockKey: false },
        { rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: true },
        { rotateWorkerToken: true, rotateManagerToken: true, rotateManagerUnlockKey: true },
      ]) {
        thenEvents([created], update({}, rotation), [updated(spec, rotation)]);
      }
    });

    it('keeps the current values for zero fields', () => {
      thenEvents(
        [created],
        update({
          Name: '',
          Labels: null,
          Orchestration: { TaskHistoryRetentionLimit: null },
          Raft: { SnapshotInterval: 0, LogEntriesForSlowFollowers: 0, ElectionTick: 0, HeartbeatTick: 0 },
          Dispatcher: { HeartbeatPeriod: 0 },
          CAConfig: { NodeCertExpiry: 0 },
          TaskDefaults: null,
          EncryptionConfig: null,
        }),
        [updated(spec)],
      );
    });

    it('merges the values sent onto the current spec, not onto the defaults', () => {
      thenEvents(
        [created],
        update({ Dispatcher: { HeartbeatPeriod: 1_000_000_000 }, EncryptionConfig: { AutoLockManagers: true } }),
        [updated({ ...spec, Dispatcher: { HeartbeatPeriod: 1_000_000_000 }, EncryptionConfig: { AutoLockManagers: true } }), keyIssued(keyA)],
      );
    });

    it('merges onto the spec of the last update', () => {
      const first = { ...spec, Orchestration: { TaskHistoryRetentionLimit: 10 } };
      thenEvents(
        [created, updated(first)],
        update({ CAConfig: { NodeCertExpiry: 3600e9 } }),
        [updated({ ...first, CAConfig: { NodeCertExpiry: 3600e9 } })],
      );
    });

    it('refuses a change to a field this engine cannot honour, and takes the current value sent back', () => {
      thenError([created], update({ Raft: { ElectionTick: 20 } }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'Raft.ElectionTick is not supported by this engine: it has no Raft elections, so a value other than the current one would have no effect',
      });
      thenError([created], update({ Orchestration: { TaskHistoryRetentionLimit: 8 } }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'Orchestration.TaskHistoryRetentionLimit (--task-history-limit) is not supported by this engine: it runs no tasks, so a value other than the current one would have no effect',
      });
      // What the CLI sends: the whole current spec (here with values an older version stored), one field changed.
      thenEvents([created], update({ ...spec, CAConfig: { NodeCertExpiry: 3600e9 } }), [updated({ ...spec, CAConfig: { NodeCertExpiry: 3600e9 } })]);
    });

    it('autolock on: the candidate key is recorded; on again: nothing new; a rotation: the new candidate', () => {
      thenEvents([created], update({ EncryptionConfig: { AutoLockManagers: true } }), [updated(autolock(true)), keyIssued(keyA)]);
      thenEvents([created, updated(autolock(true)), keyIssued(keyA)], update({ EncryptionConfig: { AutoLockManagers: true } }, noRotation, keyB), [updated(autolock(true))]);
      const rotate = { ...noRotation, rotateManagerUnlockKey: true };
      thenEvents([created, updated(autolock(true)), keyIssued(keyA)], update({}, rotate, keyB), [updated(autolock(true), rotate), keyIssued(keyB)]);
    });

    it('autolock off: the key is removed; a rotation asked for without autolock changes nothing', () => {
      thenEvents([created, updated(autolock(true)), keyIssued(keyA)], update({ EncryptionConfig: { AutoLockManagers: false } }), [updated(autolock(false)), keyRemoved]);
      const rotate = { ...noRotation, rotateManagerUnlockKey: true };
      thenEvents([created], update({}, rotate), [updated(spec, rotate)]);
    });

    it('refuses a node certificate expiry below 1h as InvalidParameter', () => {
      thenError([created], update({ CAConfig: { NodeCertExpiry: 3599e9 } }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s',
      });
    });
  });
});

describe('evolveCluster', () => {
  it('starts without a cluster', () => {
    assert.deepEqual(replay([]), { exists: false });
  });

  it('holds the created cluster', () => {
    assert.deepEqual(replay([created]), { exists: true, ...swarm });
  });

  it('replaces the spec on update and keeps the rest', () => {
    const next = { ...spec, Labels: {} };
    assert.deepEqual(replay([created, updated(spec), updated(next)]), { exists: true, ...swarm, spec: next });
  });

  it('holds the unlock key while autolock is on, and forgets it when it is removed', () => {
    assert.deepEqual(replay([created, keyIssued(keyA), keyIssued(keyB)]), { exists: true, ...swarm, unlockKey: keyB });
    assert.deepEqual(replay([created, keyIssued(keyA), keyRemoved]), { exists: true, ...swarm });
  });

  it('ignores an update without a cluster', () => {
    assert.deepEqual(replay([updated(spec)]), { exists: false });
  });
});
