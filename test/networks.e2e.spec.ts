import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readRawLog } from './support/raw-log.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

// Expectations from the docker CLI against a real Engine (transcripts of `docker network ...`);
// where this project departs on purpose (reuse of freed subnets, refusing exhausted or overlapping
// creates) the README says so.
const NOT_MANAGER =
  'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n';
const LOOPBACK = ['--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377'];
const INGRESS_WARNING =
  'WARNING! Before removing the routing-mesh network, make sure all the nodes in your swarm run the same docker engine version. Otherwise, removal may not be effective and functionality of newly create ingress networks will be impaired.\nAre you sure you want to continue? [y/N] ';

describe('overlay networks through the real CLI', () => {
  let fx: StackFixture;
  const ipam = async (...names: string[]): Promise<string> =>
    (await fx.docker('network', 'inspect', ...names, '--format', '{{.Name}} {{json .IPAM.Config}}')).stdout;
  const create = async (...args: string[]): Promise<string> => {
    const r = await fx.docker('network', 'create', '-d', 'overlay', ...args);
    assert.equal(r.stderr, '', args.join(' '));
    assert.match(r.stdout, /^[0-9a-z]{25}\n$/);
    return r.stdout.trim();
  };
  before(async () => {
    fx = await startStackFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it('refuses to create when not in a swarm, lists nothing', async () => {
    const r = await fx.docker('network', 'create', '-d', 'overlay', 'nets0');
    assert.deepEqual(r, { stdout: '', stderr: NOT_MANAGER, code: 1 });
    const raw = await fx.api('POST', '/v1.41/networks/create', { Name: 'nets0', Driver: 'overlay' });
    assert.equal(raw.status, 500);
    const ls = await fx.docker('network', 'ls', '--filter', 'driver=overlay');
    assert.deepEqual(ls, { stdout: 'NETWORK ID   NAME      DRIVER    SCOPE\n', stderr: '', code: 0 });
  });

  it('default pool: ingress 10.0.0.0/24, then 10.0.1.0/24 ... with VXLAN IDs 4096 up', async () => {
    await fx.docker('swarm', 'init', ...LOOPBACK);
    for (let i = 1; i <= 5; i++) await create(`net${i}`);
    assert.equal(
      await ipam('ingress', 'net1', 'net2', 'net3', 'net4', 'net5'),
      [0, 1, 2, 3, 4, 5]
        .map((i) => `${i === 0 ? 'ingress' : `net${i}`} [{"Subnet":"10.0.${i}.0/24","Gateway":"10.0.${i}.1"}]`)
        .join('\n') + '\n',
    );
    const ls = await fx.docker('network', 'ls', '--filter', 'driver=overlay', '--format', '{{.Name}} {{.Driver}} {{.Scope}}');
    assert.equal(ls.stdout, ['ingress', 'net1', 'net2', 'net3', 'net4', 'net5'].map((n) => `${n} overlay swarm`).join('\n') + '\n');
    const vxlan = await fx.docker('network', 'inspect', 'net5', '--format', '{{index .Options "com.docker.network.driver.overlay.vxlanid_list"}}');
    assert.equal(vxlan.stdout, '4101\n');
  });

  it('inspect shows the Engine\'s JSON shape', async () => {
    const [net1] = JSON.parse((await fx.docker('network', 'inspect', 'net1')).stdout);
    assert.deepEqual(Object.keys(net1), [
      'Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress',
      'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels',
    ]);
    assert.deepEqual(
      { ...net1, Id: '<id>', Created: '<time>' },
      {
        Name: 'net1', Id: '<id>', Created: '<time>', Scope: 'swarm', Driver: 'overlay', EnableIPv6: false,
        IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '10.0.1.0/24', Gateway: '10.0.1.1' }] },
        Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false,
        Containers: null, Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097' }, Labels: null,
      },
    );
    assert.match(net1.Created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const byPrefix = await fx.docker('network', 'inspect', net1.Id.slice(0, 5), '--format', '{{.Name}}');
    assert.equal(byPrefix.stdout, 'net1\n');
  });

  it('the list shows the swarm\'s objects: ingress without endpoints (Containers, Labels null, no Peers); inspect has them', async () => {
    // Recorded (Engine 20.10, http/93-overlay.http): GET /networks gives every swarm network,
    // ingress included, with "Containers":null, "Labels":null and no Peers; the inspect of ingress
    // has "Containers" and "Labels" objects and the manager among its Peers.
    const listed = JSON.parse((await fx.api('GET', '/v1.41/networks')).text) as Record<string, unknown>[];
    const ingress = listed.find((n) => n.Name === 'ingress');
    assert.ok(ingress);
    assert.deepEqual(Object.keys(ingress), [
      'Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress',
      'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels',
    ]);
    assert.deepEqual([ingress.Ingress, ingress.Containers, ingress.Labels], [true, null, null]);
    for (const network of listed) assert.deepEqual([network.Containers, 'Peers' in network], [null, false], String(network.Name));
    const [inspected] = JSON.parse((await fx.docker('network', 'inspect', 'ingress')).stdout);
    assert.deepEqual([inspected.Containers, inspected.Labels], [{}, {}]);
    assert.match(JSON.stringify(inspected.Peers), /^\[\{"Name":"[0-9a-f]{12}","IP":"127\.0\.0\.1"\}\]$/);
    const { Containers: _c, Labels: _l, Peers: _p, ...same } = inspected;
    const { Containers: _lc, Labels: _ll, ...listedSame } = ingress;
    assert.deepEqual(same, listedSame, 'every other field as the list shows it');
  });

  it('duplicate names are refused with 409', async () => {
    for (const name of ['net1', 'ingress']) {
      const r = await fx.docker('network', 'create', '-d', 'overlay', name);
      assert.deepEqual(r, { stdout: '', stderr: `Error response from daemon: network with name ${name} already exists\n`, code: 1 });
    }
    const raw = await fx.api('POST', '/v1.41/networks/create', { Name: 'net1', Driver: 'overlay' });
    assert.equal(raw.status, 409);
  });

  it('rm prints the name; a freed subnet is reused at once (Engine 27+)', async () => {
    assert.deepEqual(await fx.docker('network', 'rm', 'net1'), { stdout: 'net1\n', stderr: '', code: 0 });
    await create('net6');
    assert.equal(await ipam('net6'), 'net6 [{"Subnet":"10.0.1.0/24","Gateway":"10.0.1.1"}]\n');
    await create('net7');
    assert.equal(await ipam('net7'), 'net7 [{"Subnet":"10.0.6.0/24","Gateway":"10.0.6.1"}]\n');
    assert.deepEqual(await fx.docker('network', 'rm', 'net3', 'net2'), { stdout: 'net3\nnet2\n', stderr: '', code: 0 });
    await create('net8');
    await create('net9');
    assert.equal(await ipam('net8', 'net9'), 'net8 [{"Subnet":"10.0.2.0/24","Gateway":"10.0.2.1"}]\nnet9 [{"Subnet":"10.0.3.0/24","Gateway":"10.0.3.1"}]\n');
  });

  it('explicit subnets: taken as given, never handed out again, overlaps refused', async () => {
    await create('--subnet', '10.20.5.0/24', 'exp1');
    assert.equal(await ipam('exp1'), 'exp1 [{"Subnet":"10.20.5.0/24","Gateway":"10.20.5.1"}]\n');
    for (const [subnet, name] of [['10.20.5.0/24', 'exp2'], ['10.0.4.0/24', 'exp3'], ['10.20.0.0/16', 'exp4']] as const) {
      const r = await fx.docker('network', 'create', '-d', 'overlay', '--subnet', subnet, name);
      assert.equal(r.code, 1, name);
      assert.equal(r.stderr, `Error response from daemon: invalid pool request: Pool overlaps with other one on this address space (${subnet})\n`);
      assert.equal((await fx.docker('network', 'inspect', name)).code, 1, `${name} must not exist`);
    }
    await create('--subnet', '10.21.0.0/24', '--gateway', '10.21.0.254', 'exp6');
    assert.equal(await ipam('exp6'), 'exp6 [{"Subnet":"10.21.0.0/24","Gateway":"10.21.0.254"}]\n');
    const gateway = await fx.docker('network', 'create', '-d', 'overlay', '--subnet', '10.22.0.0/24', '--gateway', '10.23.0.1', 'exp7');
    assert.deepEqual(gateway, { stdout: '', stderr: 'no matching subnet for gateway 10.23.0.1\n', code: 1 });
    const bad = await fx.docker('network', 'create', '-d', 'overlay', '--subnet', 'foo', 'exp8');
    assert.deepEqual(bad, { stdout: '', stderr: 'Error response from daemon: Invalid subnet foo : invalid CIDR address: foo\n', code: 1 });
    await create('--subnet', '10.24.1.5/24', 'exp9');
    assert.equal(await ipam('exp9'), 'exp9 [{"Subnet":"10.24.1.5/24","Gateway":"10.24.1.1"}]\n');
    await create('--subnet', '10.25.0.0/24', '--ip-range', '10.25.0.128/25', 'exp10');
    assert.equal(await ipam('exp10'), 'exp10 [{"Subnet":"10.25.0.0/24","IPRange":"10.25.0.128/25","Gateway":"10.25.0.128"}]\n');
    await create('--subnet', '10.0.10.0/24', 'exp11');
    await create('net10');
    assert.equal(await ipam('net10'), 'net10 [{"Subnet":"10.0.7.0/24","Gateway":"10.0.7.1"}]\n');
  });

  it('options, labels, attachable, internal', async () => {
    await create('--attachable', '--internal', '--label', 'a=b', '--opt', 'encrypted', 'opt1');
    const [opt1] = JSON.parse((await fx.docker('network', 'inspect', 'opt1')).stdout);
    assert.equal(opt1.Internal, true);
    assert.equal(opt1.Attachable, true);
    assert.deepEqual(opt1.Labels, { a: 'b' });
    assert.equal(opt1.Options.encrypted, '');
    const labelled = await fx.docker('network', 'ls', '--filter', 'label=a=b', '--format', '{{.Name}}');
    assert.equal(labelled.stdout, 'opt1\n');
    const byName = await fx.docker('network', 'ls', '--filter', 'name=opt1', '-q');
    assert.equal(byName.stdout, `${opt1.Id.slice(0, 12)}\n`);
  });

  it('removing ingress asks first; a second ingress is refused', async () => {
    const no = await fx.dockerWithInput('n\n', 'network', 'rm', 'ingress');
    assert.deepEqual(no, { stdout: INGRESS_WARNING, stderr: '', code: 0 });
    assert.equal((await fx.docker('network', 'inspect', 'ingress', '--format', '{{.Name}}')).stdout, 'ingress\n');
    const yes = await fx.dockerWithInput('y\n', 'network', 'rm', 'ingress');
    assert.deepEqual(yes, { stdout: `${INGRESS_WARNING}ingress\n`, stderr: '', code: 0 });
    const gone = await fx.docker('network', 'inspect', 'ingress', '--format', '{{.Name}}');
    assert.deepEqual(gone, { stdout: '\n', stderr: 'Error response from daemon: network ingress not found\n', code: 1 });
    const again = await fx.docker('network', 'rm', 'ingress');
    assert.deepEqual(again, { stdout: '', stderr: 'Error response from daemon: network ingress not found\nexit status 1\n', code: 1 });
    const id = await create('--ingress', 'ingress2');
    const third = await fx.docker('network', 'create', '-d', 'overlay', '--ingress', 'ingress3');
    assert.deepEqual(third, {
      stdout: '',
      stderr: `Error response from daemon: rpc error: code = AlreadyExists desc = ingress network (${id}) is already present\n`,
      code: 1,
    });
    const twice = await fx.docker('network', 'rm', 'net4', 'net4');
    assert.deepEqual(twice, { stdout: 'net4\n', stderr: 'Error response from daemon: network net4 not found\nexit status 1\n', code: 1 });
  });

  it('prune removes every network but ingress', async () => {
    const before = (await fx.docker('network', 'ls', '--format', '{{.Name}}')).stdout.trim().split('\n');
    const r = await fx.docker('network', 'prune', '-f');
    assert.equal(r.code, 0);
    const pruned = r.stdout.split('\n').slice(1).filter(Boolean).sort();
    assert.equal(r.stdout.split('\n')[0], 'Deleted Networks:');
    assert.deepEqual(pruned, before.filter((n) => n !== 'ingress2').sort());
    assert.equal((await fx.docker('network', 'ls', '--format', '{{.Name}}')).stdout, 'ingress2\n');
  });

  it('seed pools at /26: the next subnets follow ingress; small pools spill, then a full pool fails with no event', async () => {
    await fx.docker('swarm', 'leave', '--force');
    await fx.docker('swarm', 'init', ...LOOPBACK, '--default-addr-pool', '10.20.0.0/16', '--default-addr-pool', '10.30.0.0/16', '--default-addr-pool-mask-length', '26');
    for (let i = 1; i <= 3; i++) await create(`bnet${i}`);
    assert.equal(
      await ipam('ingress', 'bnet1', 'bnet2', 'bnet3'),
      'ingress [{"Subnet":"10.20.0.0/26","Gateway":"10.20.0.1"}]\nbnet1 [{"Subnet":"10.20.0.64/26","Gateway":"10.20.0.65"}]\nbnet2 [{"Subnet":"10.20.0.128/26","Gateway":"10.20.0.129"}]\nbnet3 [{"Subnet":"10.20.0.192/26","Gateway":"10.20.0.193"}]\n',
    );
    await fx.docker('swarm', 'leave', '--force');
    await fx.docker('swarm', 'init', ...LOOPBACK, '--default-addr-pool', '10.50.0.0/24', '--default-addr-pool', '10.60.0.0/24', '--default-addr-pool-mask-length', '26');
    for (let i = 1; i <= 7; i++) await create(`cnet${i}`);
    assert.equal(await ipam('cnet3', 'cnet4', 'cnet7'), 'cnet3 [{"Subnet":"10.50.0.192/26","Gateway":"10.50.0.193"}]\ncnet4 [{"Subnet":"10.60.0.0/26","Gateway":"10.60.0.1"}]\ncnet7 [{"Subnet":"10.60.0.192/26","Gateway":"10.60.0.193"}]\n');
    const logBefore = (await readRawLog(fx.natsUrl)).length;
    const full = await fx.docker('network', 'create', '-d', 'overlay', 'cnet8');
    assert.deepEqual(full, {
      stdout: '',
      stderr: 'Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network\n',
      code: 1,
    });
    assert.equal((await fx.docker('network', 'inspect', 'cnet8')).code, 1);
    assert.equal((await readRawLog(fx.natsUrl)).length, logBefore, 'a refused create leaves no event');
    await fx.docker('network', 'rm', 'cnet2');
    await create('cnet8');
    assert.equal(await ipam('cnet8'), 'cnet8 [{"Subnet":"10.50.0.128/26","Gateway":"10.50.0.129"}]\n');
  });
});
