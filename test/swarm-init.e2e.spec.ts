import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mask, startStackFixture, type StackFixture } from './support/stack-fixture.js';

// Expected outputs are the docker CLI's against a real Engine (IDs and tokens masked).
const INIT_OUTPUT = `Swarm initialized: current node (<ID>) is now a manager.

To add a worker to this swarm, run the following command:

    docker swarm join --token SWMTKN-1-<DIGEST>-<SECRET> 127.0.0.1:2377

To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.
`;
const ALREADY = 'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n';
const NOT_MANAGER =
  'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n';
const ALREADY_BODY = `${JSON.stringify({ message: ALREADY.slice('Error response from daemon: '.length, -1) })}\n`;
const LOOPBACK = ['--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377'];

describe('docker swarm init through the real CLI', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  const leave = async (): Promise<void> => {
    await fx.docker('swarm', 'leave', '--force');
  };

  it('reports inactive before init', async () => {
    const r = await fx.docker('info', '--format', '{{.Swarm.LocalNodeState}}');
    assert.deepEqual(r, { stdout: 'inactive\n', stderr: '', code: 0 });
  });

  it('join-token when not in a swarm gets the 503 text', async () => {
    const r = await fx.docker('swarm', 'join-token', 'worker');
    assert.equal(r.stderr, NOT_MANAGER);
    assert.equal(r.code, 1);
  });

  it('inits with --advertise-addr 127.0.0.1 and prints the join command', async () => {
    const r = await fx.docker('swarm', 'init', ...LOOPBACK);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(mask(r.stdout), INIT_OUTPUT);
  });

  it('refuses a second init with Docker\'s message', async () => {
    const r = await fx.docker('swarm', 'init', ...LOOPBACK);
    assert.deepEqual(r, { stdout: '', stderr: ALREADY, code: 1 });
    const raw = await fx.api('POST', '/v1.41/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    assert.equal(raw.status, 503);
    assert.equal(raw.text, ALREADY_BODY);
  });

  it('docker info shows the Swarm section of a manager', async () => {
    const r = await fx.docker('info', '--format', '{{json .Swarm}}');
    const swarm = JSON.parse(r.stdout);
    assert.equal(swarm.LocalNodeState, 'active');
    assert.equal(swarm.ControlAvailable, true);
    assert.equal(swarm.NodeAddr, '127.0.0.1');
    assert.deepEqual(swarm.RemoteManagers, [{ NodeID: swarm.NodeID, Addr: '127.0.0.1:2377' }]);
    assert.equal(swarm.Nodes, 1);
    assert.equal(swarm.Managers, 1);
    assert.match(swarm.Cluster.ID, /^[0-9a-z]{25}$/);
    assert.deepEqual(swarm.Cluster.Spec, {
      Name: 'default',
      Labels: {},
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
      Dispatcher: { HeartbeatPeriod: 5000000000 },
      CAConfig: { NodeCertExpiry: 7776000000000000 },
      TaskDefaults: {},
      EncryptionConfig: { AutoLockManagers: false },
    });
    assert.equal(swarm.Cluster.TLSInfo.CertIssuerSubject, 'MBMxETAPBgNVBAMTCHN3YXJtLWNh');
    assert.match(swarm.Cluster.TLSInfo.CertIssuerPublicKey, /^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/);
    assert.equal(swarm.Cluster.DefaultAddrPool, null);
    assert.equal(swarm.Cluster.SubnetSize, 24);
    assert.equal(swarm.Cluster.DataPathPort, 4789);
    const text = await fx.docker('info');
    assert.match(text.stdout, / Swarm: active\n  NodeID: [0-9a-z]{25}\n  Is Manager: true\n  ClusterID: [0-9a-z]{25}\n  Managers: 1\n  Nodes: 1\n  Data Path Port: 4789\n  Orchestration:\n   Task History Retention Limit: 5\n  Raft:\n   Snapshot Interval: 10000\n   Number of Old Snapshots to Retain: 0\n   Heartbeat Tick: 1\n   Election Tick: 10\n  Dispatcher:\n   Heartbeat Period: 5 seconds\n  CA Configuration:\n   Expiry Duration: 3 months\n   Force Rotate: 0\n  Autolock Managers: false\n  Root Rotation In Progress: false\n  Node Address: 127.0.0.1\n  Manager Addresses:\n   127.0.0.1:2377\n/);
  });

  it('node ls lists the leader, node inspect self shows it', async () => {
    const ls = await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Self}} {{.Status}} {{.Availability}} {{.ManagerStatus}}');
    assert.match(ls.stdout, /^[0-9a-z]{25} true Ready Active Leader\n$/);
    const table = await fx.docker('node', 'ls');
    assert.match(table.stdout, /^ID {28}HOSTNAME +STATUS +AVAILABILITY +MANAGER STATUS +ENGINE VERSION\n[0-9a-z]{25} \* +\S+ +Ready +Active +Leader +\S+\n$/);
    const inspect = await fx.docker('node', 'inspect', 'self');
    assert.equal(inspect.code, 0);
    const [node] = JSON.parse(inspect.stdout);
    assert.deepEqual(node.Spec, { Labels: {}, Role: 'manager', Availability: 'active' });
    assert.deepEqual(node.Status, { State: 'ready', Addr: '127.0.0.1' });
    assert.deepEqual(node.ManagerStatus, { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' });
    assert.match(node.Description.TLSInfo.TrustRoot, /^-----BEGIN CERTIFICATE-----\n/);
    const missing = await fx.docker('node', 'inspect', 'nosuch');
    assert.deepEqual(missing, { stdout: '[]\n', stderr: 'Error response from daemon: node nosuch not found\n', code: 1 });
  });

  it('network inspect ingress shows the first subnet of the default pool', async () => {
    const r = await fx.docker('network', 'inspect', 'ingress', '--format', '{{json .IPAM.Config}} {{.Scope}} {{.Driver}} {{.Ingress}} {{index .Options "com.docker.network.driver.overlay.vxlanid_list"}}');
    assert.equal(r.stdout, '[{"Subnet":"10.0.0.0/24","Gateway":"10.0.0.1"}] swarm overlay true 4096\n');
  });

  it('join-token prints, -q prints only the token, --rotate changes only the secret', async () => {
    const worker = await fx.docker('swarm', 'join-token', 'worker');
    assert.equal(
      mask(worker.stdout),
      'To add a worker to this swarm, run the following command:\n\n    docker swarm join --token SWMTKN-1-<DIGEST>-<SECRET> 127.0.0.1:2377\n\n',
    );
    const manager = await fx.docker('swarm', 'join-token', 'manager');
    assert.equal(
      mask(manager.stdout),
      'To add a manager to this swarm, run the following command:\n\n    docker swarm join --token SWMTKN-1-<DIGEST>-<SECRET> 127.0.0.1:2377\n\n',
    );
    const before = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const managerBefore = (await fx.docker('swarm', 'join-token', '-q', 'manager')).stdout.trim();
    assert.match(before, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
    assert.ok(worker.stdout.includes(before));
    const rotated = await fx.docker('swarm', 'join-token', '--rotate', 'worker');
    assert.equal(rotated.code, 0);
    assert.equal(
      mask(rotated.stdout),
      'Successfully rotated worker join token.\n\nTo add a worker to this swarm, run the following command:\n\n    docker swarm join --token SWMTKN-1-<DIGEST>-<SECRET> 127.0.0.1:2377\n\n',
    );
    const after = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    assert.notEqual(after, before);
    assert.equal(after.slice(0, 59), before.slice(0, 59));
    const quiet = await fx.docker('swarm', 'join-token', '--rotate', '-q', 'manager');
    assert.match(quiet.stdout, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\n$/);
    assert.notEqual(quiet.stdout.trim(), managerBefore);
    assert.equal((await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim(), after);
  });

  it('join-token with an unknown role fails on the CLI', async () => {
    const r = await fx.docker('swarm', 'join-token', 'foo');
    assert.deepEqual(r, { stdout: '', stderr: 'unknown role foo\n', code: 1 });
  });

  it('a stale version on update is out of sequence; no version is a 400', async () => {
    const swarm = JSON.parse((await fx.api('GET', '/v1.41/swarm')).text);
    const stale = await fx.api('POST', `/v1.41/swarm/update?version=${swarm.Version.Index - 1}&rotateWorkerToken=true`, swarm.Spec);
    assert.equal(stale.status, 500);
    assert.equal(stale.text, '{"message":"rpc error: code = Unknown desc = update out of sequence"}\n');
    const none = await fx.api('POST', '/v1.41/swarm/update', swarm.Spec);
    assert.equal(none.status, 400);
    assert.equal(none.text, `{"message":"invalid swarm version '': strconv.ParseUint: parsing \\"\\": invalid syntax"}\n`);
  });

  it('leave --force, then init again with the seed pools', async () => {
    const left = await fx.docker('swarm', 'leave', '--force');
    assert.deepEqual(left, { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    const again = await fx.docker('swarm', 'leave', '--force');
    assert.deepEqual(again, { stdout: '', stderr: 'Error response from daemon: This node is not part of a swarm\n', code: 1 });
    const r = await fx.docker(
      'swarm', 'init', ...LOOPBACK,
      '--default-addr-pool', '10.20.0.0/16', '--default-addr-pool', '10.30.0.0/16', '--default-addr-pool-mask-length', '26',
    );
    assert.equal(mask(r.stdout), INIT_OUTPUT);
    const ipam = await fx.docker('network', 'inspect', 'ingress', '--format', '{{json .IPAM.Config}}');
    assert.equal(ipam.stdout, '[{"Subnet":"10.20.0.0/26","Gateway":"10.20.0.1"}]\n');
    const info = await fx.docker('info', '--format', '{{json .Swarm.Cluster.DefaultAddrPool}} {{.Swarm.Cluster.SubnetSize}} {{.Swarm.Cluster.DataPathPort}}');
    assert.equal(info.stdout, '["10.20.0.0/16","10.30.0.0/16"] 26 4789\n');
    await leave();
  });

  it('plain init advertises the daemon default address', async () => {
    const r = await fx.docker('swarm', 'init');
    assert.equal(mask(r.stdout), INIT_OUTPUT);
    const info = await fx.docker('info', '--format', '{{.Swarm.NodeAddr}}');
    assert.equal(info.stdout, '127.0.0.1\n');
    await leave();
  });

  it('rejects bad pools, mask lengths, ports and addresses with Docker\'s texts and leaves no swarm', async () => {
    const cases: [string[], string, number][] = [
      [['--default-addr-pool', '10.20.0.0/16', '--default-addr-pool-mask-length', '30'], 'Error response from daemon: subnet size is out of range: 30\n', 1],
      [['--default-addr-pool', '10.20.0.0/16', '--default-addr-pool-mask-length', '8'], 'Error response from daemon: invalid CIDR: "10.20.0.0/16". Subnet size is too small for pool: 8\n', 1],
      [['--data-path-port', '1023'], 'Error response from daemon: Datapath port number is not in valid range (1024-49151) : 1023\n', 1],
      [['--cert-expiry', '30m'], 'Error response from daemon: error updating cluster settings: rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s\n', 1],
      // Taken by the Engine, not honoured here: refused with a text that says so, no swarm left behind.
      [['--data-path-port', '5000'], 'Error response from daemon: DataPathPort (--data-path-port) is not supported by this engine: it has no data plane (it carries no VXLAN traffic)\n', 1],
      [['--data-path-addr', '127.0.0.1'], 'Error response from daemon: DataPathAddr (--data-path-addr) is not supported by this engine: it has no data plane (it carries no VXLAN traffic)\n', 1],
      [['--force-new-cluster'], 'Error response from daemon: ForceNewCluster (--force-new-cluster) is not supported by this engine: a node here keeps no Raft state to rebuild a cluster from\n', 1],
      [['--task-history-limit', '10'], 'Error response from daemon: Orchestration.TaskHistoryRetentionLimit (--task-history-limit) is not supported by this engine: it runs no tasks, so a value other than the current one would have no effect\n', 1],
      [['--snapshot-interval', '20000'], 'Error response from daemon: Raft.SnapshotInterval (--snapshot-interval) is not supported by this engine: it has no Raft log (its state is an event log), so a value other than the current one would have no effect\n', 1],
      [['--max-snapshots', '3'], 'Error response from daemon: Raft.KeepOldSnapshots (--max-snapshots) is not supported by this engine: it has no Raft log (its state is an event log), so a value other than the current one would have no effect\n', 1],
    ];
    for (const [flags, stderr, code] of cases) {
      const r = await fx.docker('swarm', 'init', ...LOOPBACK, ...flags);
      assert.deepEqual(r, { stdout: '', stderr, code }, flags.join(' '));
    }
    for (const addr of ['nosuch0', 'localhost', '0.0.0.0']) {
      const r = await fx.docker('swarm', 'init', '--advertise-addr', addr, '--listen-addr', '127.0.0.1:2377');
      assert.deepEqual(r, {
        stdout: '',
        stderr: 'Error response from daemon: advertise address must be a non-zero IP address or network interface (with optional port number)\n',
        code: 1,
      });
    }
    const pool = await fx.docker('swarm', 'init', ...LOOPBACK, '--default-addr-pool', 'foo');
    assert.equal(pool.code, 125);
    assert.match(pool.stderr, /^invalid argument "foo" for "--default-addr-pool" flag: invalid string being converted to CIDR: foo\n/);
    const state = await fx.docker('info', '--format', '{{.Swarm.LocalNodeState}}');
    assert.equal(state.stdout, 'inactive\n');
  });

  it('20 concurrent inits: exactly one wins', async () => {
    const body = { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [], SubnetSize: 24 };
    const results = await Promise.all(Array.from({ length: 20 }, () => fx.api('POST', '/v1.41/swarm/init', body)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 503);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.text}`).join(''));
    assert.equal(refused.length, 19);
    for (const r of refused) assert.equal(r.text, ALREADY_BODY);
  });
});
