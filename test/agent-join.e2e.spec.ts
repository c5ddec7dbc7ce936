import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const DAEMON = 'Error response from daemon: ';
const WORKER = `${DAEMON}This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n`;
const REJECTED = `${DAEMON}rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n`;

/** Polls `check` every 250 ms until it holds or `ms` have passed (bounded); returns whether it held. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The whole flow: a manager (the stack, swarm port on a free loopback port) and agents joining it, all through the real docker CLI. */
describe('agents join a real manager (real docker CLI)', () => {
  let fx: StackFixture;
  let worker: AgentFixture;
  let manager: AgentFixture;
  let swarmAddr: string;
  let workerToken: string;
  let workerId: string;

  before(async () => {
    fx = await startStackFixture();
    swarmAddr = `127.0.0.1:${await freePort()}`;
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', swarmAddr, '--dispatcher-heartbeat', '1s');
    assert.equal(init.code, 0, init.stderr);
    workerToken = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    worker = await startAgent({ hostname: 'worker-1' });
    manager = await startAgent({ hostname: 'manager-2' });
  });
  after(async () => {
    await worker?.stop();
    await manager?.stop();
    await fx?.stop();
  });

  it("refused joins: the manager's CA against another digest, a wrong secret", async () => {
    const otherHex = createHash('sha256').update('other').digest('hex');
    const wrongDigest = `SWMTKN-1-${BigInt(`0x${otherHex}`).toString(36).padStart(50, '0')}-${workerToken.slice(-25)}`;
    assert.deepEqual(await worker.docker('swarm', 'join', '--token', wrongDigest, swarmAddr), {
      stdout: '',
      stderr: `${DAEMON}remote CA does not match fingerprint. Expected: ${otherHex}\n`,
      code: 1,
    });
    const wrongSecret = `${workerToken.slice(0, -25)}${'z'.repeat(25)}`;
    assert.deepEqual(await worker.docker('swarm', 'join', '--token', wrongSecret, swarmAddr), { stdout: '', stderr: REJECTED, code: 1 });
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.LocalNodeState}} {{json .Swarm.Error}}')).stdout, 'inactive ""\n');
  });

  it('a worker joins: docker info on the agent, two nodes on the manager', async () => {
    const joined = await worker.docker('swarm', 'join', '--token', workerToken, swarmAddr);
    assert.deepEqual(joined, { stdout: 'This node joined a swarm as a worker.\n', stderr: '', code: 0 });
    const swarm = JSON.parse((await worker.docker('info', '--format', '{{json .Swarm}}')).stdout) as Record<string, unknown>;
    workerId = swarm.NodeID as string;
    const managerId = (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
    assert.deepEqual(swarm, {
      NodeID: workerId,
      NodeAddr: '127.0.0.1',
      LocalNodeState: 'active',
      ControlAvailable: false,
      Error: '',
      RemoteManagers: [{ NodeID: managerId, Addr: swarmAddr }],
    });
    const ls = await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Status}} {{.ManagerStatus}} {{.Self}}');
    const rows = ls.stdout.trim().split('\n').sort();
    assert.equal(rows.length, 2, ls.stdout);
    assert.ok(rows.includes(`${workerId} worker-1 Ready  false`), ls.stdout);
    assert.equal((await fx.docker('info', '--format', '{{.Swarm.Managers}} {{.Swarm.Nodes}}')).stdout, '1 2\n');
  });

  it("the worker answers manager calls with the Engine's 503 (network create: 403)", async () => {
    assert.deepEqual(await worker.docker('node', 'ls'), { stdout: '', stderr: WORKER, code: 1 });
    assert.deepEqual(await worker.docker('swarm', 'join-token', 'worker'), { stdout: '', stderr: WORKER, code: 1 });
    const network = await worker.docker('network', 'create', '-d', 'overlay', 'wnet');
    assert.equal(network.stderr, `${DAEMON}Cannot create a multi-host network from a worker node. Please create the network from a manager node.\n`);
    const again = await worker.docker('swarm', 'join', '--token', workerToken, swarmAddr);
    assert.equal(again.stderr, `${DAEMON}This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n`);
  });

  it('a rotated token and an agent restart leave the joined worker Ready', async () => {
    assert.equal((await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker')).code, 0);
    await worker.restart();
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.NodeID}} {{.Swarm.LocalNodeState}}')).stdout, `${workerId} active\n`);
    // Down takes three missed heartbeat periods (1 s here): still Ready well after that.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    assert.equal((await fx.docker('node', 'inspect', workerId, '--format', '{{.Status.State}}')).stdout, 'ready\n');
  });

  it('a manager token makes a manager agent that serves the manager API through the swarm port', async () => {
    const token = (await fx.docker('swarm', 'join-token', '-q', 'manager')).stdout.trim();
    const joined = await manager.docker('swarm', 'join', '--token', token, swarmAddr);
    assert.deepEqual(joined, { stdout: 'This node joined a swarm as a manager.\n', stderr: '', code: 0 });
    const ls = await manager.docker('node', 'ls', '--format', '{{.Hostname}} {{.Self}} {{.ManagerStatus}}');
    assert.ok(ls.stdout.includes('manager-2 true Reachable\n'), ls.stdout);
    assert.equal(ls.stdout.trim().split('\n').length, 3);
    assert.equal((await manager.docker('info', '--format', '{{.Name}} {{.Swarm.ControlAvailable}} {{.Swarm.Managers}} {{.Swarm.Nodes}}')).stdout, 'manager-2 true 2 3\n');
    const created = await manager.docker('network', 'create', '-d', 'overlay', 'from-manager-2');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((await fx.docker('network', 'inspect', 'from-manager-2', '--format', '{{.Name}}')).stdout, 'from-manager-2\n');
  });

  it('promote and demote reach the worker agent: it renews its certificate for each role', async () => {
    assert.equal((await fx.docker('node', 'promote', workerId)).code, 0);
    assert.ok(await eventually(async () => (await worker.docker('node', 'ls', '-q')).code === 0), 'the promoted agent serves the manager API');
    assert.equal((await worker.api('HEAD', '/_ping')).headers.get('swarm'), 'active/manager');
    assert.equal((await fx.docker('node', 'demote', workerId)).code, 0);
    assert.ok(await eventually(async () => (await worker.docker('node', 'ls')).stderr === WORKER), 'the demoted agent answers as a worker');
    assert.ok(await eventually(async () => (await worker.docker('info', '--format', '{{.Swarm.ControlAvailable}}')).stdout === 'false\n'), 'worker certificate taken');
  });

  it('a join towards a manager port that opens only later succeeds: the agent redials, as the Engine does', async () => {
    const late = await startAgent({ hostname: 'late-3', joinTimeoutS: 10 });
    const port = await freePort();
    const [host, target] = swarmAddr.split(':') as [string, string];
    let proxy: net.Server | undefined;
    try {
      const token = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
      const joining = late.docker('swarm', 'join', '--token', token, `127.0.0.1:${port}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      proxy = net.createServer((client) => {
        const upstream = net.connect(Number(target), host);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy?.listen(port, '127.0.0.1', resolve));
      assert.deepEqual(await joining, { stdout: 'This node joined a swarm as a worker.\n', stderr: '', code: 0 });
      const id = (await late.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
      assert.equal((await late.docker('swarm', 'leave')).code, 0);
      assert.ok(await eventually(async () => (await fx.docker('node', 'inspect', id, '--format', '{{.Status.State}}')).stdout === 'down\n'));
      assert.equal((await fx.docker('node', 'rm', id)).code, 0);
    } finally {
      proxy?.close();
      await late.stop();
    }
  });

  it('leave: a manager agent needs --force; the worker leaves and is down on the manager', async () => {
    const refused = await manager.docker('swarm', 'leave');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager\. Removing this node leaves 1 managers out of 2\./);
    assert.deepEqual(await worker.docker('swarm', 'leave'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'inactive\n');
    assert.ok(await eventually(async () => (await fx.docker('node', 'inspect', workerId, '--format', '{{.Status.State}}')).stdout === 'down\n'));
    assert.deepEqual(await fx.docker('node', 'rm', workerId), { stdout: `${workerId}\n`, stderr: '', code: 0 });
    assert.deepEqual(await manager.docker('swarm', 'leave', '--force'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal((await manager.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'inactive\n');
  });
});
