import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, defaultSwarmSpec, type ErrorPayload, type SwarmSpec } from '#contracts';
import { initialSpec, mergeSpec, validateAddressPools, validateDataPathPort, validateSpec } from './init-options.js';

function assertDomainError(action: () => unknown, expected: ErrorPayload): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.deepEqual(error.toPayload(), expected);
    return true;
  });
}

const system = (message: string): ErrorPayload => ({ code: 'System', kind: 'System', message });
const invalidParameter = (message: string): ErrorPayload => ({ code: 'InvalidParameter', kind: 'InvalidParameter', message });

const MIN_CERT_EXPIRY = 'rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s';

describe('validateAddressPools', () => {
  describe('without pools', () => {
    it('stores no pool and allocates at /24', () => {
      assert.deepEqual(validateAddressPools([], 0), { pools: [], subnetSize: 24 });
    });

    it('allocates at /24 whatever size in range was sent', () => {
      assert.deepEqual(validateAddressPools([], 26), { pools: [], subnetSize: 24 });
      assert.deepEqual(validateAddressPools([], 29), { pools: [], subnetSize: 24 });
    });

    it('refuses a size above 29', () => {
      assertDomainError(() => validateAddressPools([], 33), system('subnet size is out of range: 33'));
      assertDomainError(() => validateAddressPools([], 30), system('subnet size is out of range: 30'));
    });
  });

  describe('with pools', () => {
    it('takes size 0 as 24', () => {
      assert.deepEqual(validateAddressPools(['10.20.0.0/16'], 0), { pools: ['10.20.0.0/16'], subnetSize: 24 });
    });

    it('keeps the size given, up to 29, and sizes equal to the pool prefix', () => {
      assert.deepEqual(validateAddressPools(['10.20.0.0/16'], 26), { pools: ['10.20.0.0/16'], subnetSize: 26 });
      assert.deepEqual(validateAddressPools(['10.20.0.0/16'], 29), { pools: ['10.20.0.0/16'], subnetSize: 29 });
      assert.deepEqual(validateAddressPools(['10.30.0.0/24'], 24), { pools: ['10.30.0.0/24'], subnetSize: 24 });
    });

    for (const size of [30, 32, 33]) {
      it(`refuses size ${size}`, () => {
        assertDomainError(() => validateAddressPools(['10.20.0.0/16'], size), system(`subnet size is out of range: ${size}`));
      });
    }

    it('refuses a size shorter than the pool prefix', () => {
      assertDomainError(
        () => validateAddressPools(['10.20.0.0/16'], 8),
        system('invalid CIDR: "10.20.0.0/16". Subnet size is too small for pool: 8'),
      );
    });

    it('checks the size against each pool, naming the first that is too small', () => {
      assertDomainError(
        () => validateAddressPools(['10.20.0.0/16', '10.30.0.0/24'], 20),
        system('invalid CIDR: "10.30.0.0/24". Subnet size is too small for pool: 20'),
      );
    });

    it('keeps several pools in the order given', () => {
      assert.deepEqual(validateAddressPools(['10.20.0.0/16', '10.30.0.0/24'], 26), {
        pools: ['10.20.0.0/16', '10.30.0.0/24'],
        subnetSize: 26,
      });
    });

    it('refuses an IPv6 pool with an InvalidParameter error', () => {
      assert.throws(
        () => validateAddressPools(['fd00:1::/64'], 0),
        (error: unknown) => error instanceof DomainError && error.kind === 'InvalidParameter' && error.code === 'InvalidParameter',
      );
      assert.throws(
        () => validateAddressPools(['10.20.0.0/16', 'fd00:1::/64'], 24),
        (error: unknown) => error instanceof DomainError && error.kind === 'InvalidParameter',
      );
    });

    it('accepts duplicate pools', () => {
      assert.deepEqual(validateAddressPools(['10.20.0.0/16', '10.20.0.0/16'], 24), {
        pools: ['10.20.0.0/16', '10.20.0.0/16'],
        subnetSize: 24,
      });
    });

    it('accepts overlapping pools', () => {
      assert.deepEqual(validateAddressPools(['10.0.0.0/8', '10.20.0.0/16'], 24), {
        pools: ['10.0.0.0/8', '10.20.0.0/16'],
        subnetSize: 24,
      });
    });
  });
});

describe('validateDataPathPort', () => {
  it('takes 0 as 4789', () => {
    assert.equal(validateDataPathPort(0), 4789);
  });

  it('accepts the bounds 1024 and 49151', () => {
    assert.equal(validateDataPathPort(1024), 1024);
    assert.equal(validateDataPathPort(49151), 49151);
    assert.equal(validateDataPathPort(4789), 4789);
  });

  for (const port of [1023, 49152, 50000]) {
    it(`refuses ${port}`, () => {
      assertDomainError(
        () => validateDataPathPort(port),
        system(`Datapath port number is not in valid range (1024-49151) : ${port}`),
      );
    });
  }
});

describe('initialSpec', () => {
  const DOCKER_DEFAULTS: SwarmSpec = {
    Name: 'default',
    Labels: {},
    Orchestration: { TaskHistoryRetentionLimit: 5 },
    Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
    Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
    CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  };

  it("gives Docker's defaults when no spec is sent", () => {
    assert.deepEqual(initialSpec(undefined), DOCKER_DEFAULTS);
    assert.deepEqual(initialSpec({}), DOCKER_DEFAULTS);
  });

  it('gives the defaults for a spec of zero values', () => {
    assert.deepEqual(
      initialSpec({
        Name: '',
        Labels: null,
        Orchestration: null,
        Raft: { SnapshotInterval: 0, LogEntriesForSlowFollowers: 0, ElectionTick: 0, HeartbeatTick: 0 },
        Dispatcher: { HeartbeatPeriod: 0 },
        CAConfig: { NodeCertExpiry: 0 },
        TaskDefaults: null,
        EncryptionConfig: null,
      }),
      DOCKER_DEFAULTS,
    );
  });

  it('accepts the name "default"', () => {
    assert.equal(initialSpec({ Name: 'default' }).Name, 'default');
  });

  it('refuses any other name', () => {
    assertDomainError(() => initialSpec({ Name: 'prod' }), invalidParameter('swarm spec must be named "default"'));
  });

  it('overlays what the request sets', () => {
    const spec = initialSpec({
      Labels: { team: 'a' },
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Dispatcher: { HeartbeatPeriod: 10_000_000_000 },
      EncryptionConfig: { AutoLockManagers: true },
    });
    assert.deepEqual(spec, {
      ...DOCKER_DEFAULTS,
      Labels: { team: 'a' },
      Dispatcher: { HeartbeatPeriod: 10_000_000_000 },
      EncryptionConfig: { AutoLockManagers: true },
    });
  });

  it('refuses a value other than the default for a field this engine cannot honour (no Raft, no tasks)', () => {
    const cases: [Parameters<typeof initialSpec>[0], string][] = [
      [{ Orchestration: { TaskHistoryRetentionLimit: 10 } }, 'Orchestration.TaskHistoryRetentionLimit (--task-history-limit) is not supported by this engine: it runs no tasks'],
      [{ Raft: { SnapshotInterval: 20000 } }, 'Raft.SnapshotInterval (--snapshot-interval) is not supported by this engine: it has no Raft log'],
      [{ Raft: { KeepOldSnapshots: 2 } }, 'Raft.KeepOldSnapshots (--max-snapshots) is not supported'],
      [{ Raft: { LogEntriesForSlowFollowers: 7 } }, 'Raft.LogEntriesForSlowFollowers is not supported'],
      [{ Raft: { ElectionTick: 3 } }, 'Raft.ElectionTick is not supported'],
      [{ Raft: { HeartbeatTick: 3 } }, 'Raft.HeartbeatTick is not supported'],
      [{ TaskDefaults: { LogDriver: { Name: 'json-file' } } }, 'TaskDefaults (--log-driver) is not supported by this engine: it runs no tasks'],
    ];
    for (const [input, text] of cases) {
      assert.throws(() => initialSpec(input), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.equal(error.toPayload().kind, 'InvalidParameter');
        assert.ok(error.message.startsWith(text), error.message);
        assert.match(error.message, /a value other than the current one would have no effect$/);
        return true;
      });
    }
  });
  it('accepts a node certificate expiry of exactly 1h', () => {
    assert.equal(initialSpec({ CAConfig: { NodeCertExpiry: 3600e9 } }).CAConfig.NodeCertExpiry, 3600e9);
  });

  it('refuses a node certificate expiry below 1h, wrapped as at init', () => {
    assertDomainError(
      () => initialSpec({ CAConfig: { NodeCertExpiry: 3599e9 } }),
      system(`error updating cluster settings: ${MIN_CERT_EXPIRY}`),
    );
  });

  it('refuses a negative dispatcher heartbeat period', () => {
    assertDomainError(
      () => initialSpec({ Dispatcher: { HeartbeatPeriod: -1 } }),
      invalidParameter('rpc error: code = InvalidArgument desc = heartbeat time period cannot be a negative duration'),
    );
  });

  it('sets KeepOldSnapshots to an explicit 0 (a pointer field in Docker)', () => {
    const current: SwarmSpec = { ...defaultSwarmSpec(), Raft: { ...defaultSwarmSpec().Raft, KeepOldSnapshots: 3 } };
    assert.equal(mergeSpec(current, { Raft: { KeepOldSnapshots: 0 } }).Raft.KeepOldSnapshots, 0);
  });

  // Docker's Orchestration.TaskHistoryRetentionLimit is *int64, so an explicit 0 is a change: refused here (no tasks).
  it('refuses an explicit TaskHistoryRetentionLimit of 0 (a pointer field in Docker, so a change)', () => {
    assert.throws(() => initialSpec({ Orchestration: { TaskHistoryRetentionLimit: 0 } }), /TaskHistoryRetentionLimit/);
  });
});

describe('mergeSpec', () => {
  const current: SwarmSpec = {
    Name: 'default',
    Labels: { env: 'prod' },
    Orchestration: { TaskHistoryRetentionLimit: 7 },
    Raft: { SnapshotInterval: 20000, KeepOldSnapshots: 2, LogEntriesForSlowFollowers: 600, ElectionTick: 12, HeartbeatTick: 2 },
    Dispatcher: { HeartbeatPeriod: 9_000_000_000 },
    CAConfig: { NodeCertExpiry: 7200e9 },
    TaskDefaults: { LogDriver: { Name: 'json-file' } },
    EncryptionConfig: { AutoLockManagers: true },
  };

  it('keeps every current value for an empty input', () => {
    assert.deepEqual(mergeSpec(current, {}), current);
  });

  it('keeps the current values for zero and null fields', () => {
    assert.deepEqual(
      mergeSpec(current, {
        Name: '',
        Labels: null,
        Orchestration: { TaskHistoryRetentionLimit: null },
        Raft: { SnapshotInterval: 0, LogEntriesForSlowFollowers: 0, ElectionTick: 0, HeartbeatTick: 0 },
        Dispatcher: { HeartbeatPeriod: 0 },
        CAConfig: { NodeCertExpiry: 0, ForceRotate: 0 },
        TaskDefaults: null,
        EncryptionConfig: null,
      }),
      current,
    );
  });

  it('takes the non-zero values sent', () => {
    assert.deepEqual(
      mergeSpec(current, {
        Orchestration: { TaskHistoryRetentionLimit: 3 },
        Raft: { SnapshotInterval: 5000, LogEntriesForSlowFollowers: 100, ElectionTick: 20, HeartbeatTick: 4 },
        Dispatcher: { HeartbeatPeriod: 1_000_000_000 },
        CAConfig: { NodeCertExpiry: 3600e9, ForceRotate: 1 },
        EncryptionConfig: { AutoLockManagers: false },
      }),
      {
        ...current,
        Orchestration: { TaskHistoryRetentionLimit: 3 },
        Raft: { SnapshotInterval: 5000, KeepOldSnapshots: 2, LogEntriesForSlowFollowers: 100, ElectionTick: 20, HeartbeatTick: 4 },
        Dispatcher: { HeartbeatPeriod: 1_000_000_000 },
        CAConfig: { NodeCertExpiry: 3600e9, ForceRotate: 1 },
        EncryptionConfig: { AutoLockManagers: false },
      },
    );
  });

  it('does not change the current spec', () => {
    const before = structuredClone(current);
    mergeSpec(current, { Labels: { a: 'b' }, Raft: { SnapshotInterval: 1 } });
    assert.deepEqual(current, before);
  });
});

describe('validateSpec', () => {
  it('accepts the defaults at init and at update', () => {
    validateSpec(defaultSwarmSpec(), 'init');
    validateSpec(defaultSwarmSpec(), 'update');
  });

  it('refuses a node certificate expiry below 1h at update, unwrapped, as InvalidParameter', () => {
    const spec: SwarmSpec = { ...defaultSwarmSpec(), CAConfig: { NodeCertExpiry: 60e9 } };
    assertDomainError(() => validateSpec(spec, 'update'), invalidParameter(MIN_CERT_EXPIRY));
  });

  it('refuses a node certificate expiry below 1h at init, wrapped, as System', () => {
    const spec: SwarmSpec = { ...defaultSwarmSpec(), CAConfig: { NodeCertExpiry: 60e9 } };
    assertDomainError(() => validateSpec(spec, 'init'), system(`error updating cluster settings: ${MIN_CERT_EXPIRY}`));
  });

  it('refuses what the Engine takes but the log cannot store (found by the fuzz suite), as InvalidParameter', () => {
    const retention: SwarmSpec = { ...defaultSwarmSpec(), Orchestration: { TaskHistoryRetentionLimit: -1_840_742_446 } };
    assertDomainError(() => validateSpec(retention, 'update'), invalidParameter('invalid swarm spec: Orchestration.TaskHistoryRetentionLimit must be >= -1'));
    const snapshots: SwarmSpec = { ...defaultSwarmSpec(), Raft: { ...defaultSwarmSpec().Raft, SnapshotInterval: 2 ** 60 } };
    assertDomainError(() => validateSpec(snapshots, 'init'), invalidParameter('invalid swarm spec: Raft.SnapshotInterval must be <= 9007199254740991'));
  });
});
