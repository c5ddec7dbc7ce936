import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeSwarmPort, json, startAgent, type AgentFixture, type FakeNode } from './support/agent-fixture.js';

const DAEMON = 'Error response from daemon: ';
const WORKER = `${DAEMON}This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n`;

/** Polls `check` every 100 ms until it holds or `ms` have passed (bounded); returns whether it held. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The agent's side of the swarm port protocol against a stand-in manager (test/support/agent-fixture.ts):
 * trust checks, identity on disk, heartbeats, renewal, forwarding, leave. The real manager is in agent-join.e2e.
 */
describe('an agent against a stand-in swarm port (real docker CLI)', () => {
  let agent: AgentFixture;
  let port: FakeSwarmPort;
  let nodeId: string;
  const node = (): FakeNode => port.nodes.get(nodeId)!;

  before(async () => {
    port = await new FakeSwarmPort().start();
    agent = await startAgent({ hostname: 'proto-1' });
  });
  after(async () => {
    await agent?.stop();
    await port?.stop();
  });

  it('a token naming another CA: the fingerprint error, and no CSR leaves the agent', async () => {
    const otherHex = createHash('sha256').update('other').digest('hex');
    const otherDigest = BigInt(`0x${otherHex}`).toString(36).padStart(50, '0');
    const token = `SWMTKN-1-${otherDigest}-${port.secrets.worker}`;
    assert.deepEqual(await agent.docker('swarm', 'join', '--token', token, port.addr), {
      stdout: '',
      stderr: `${DAEMON}remote CA does not match fingerprint. Expected: ${otherHex}\n`,
      code: 1,
    });
    assert.deepEqual(port.requests, ['GET /swarm/v1/ca']);
  });

  it('a man in the middle with the right CA but another server certificate gets no CSR either', async () => {
    const impostor = await new FakeSwarmPort({ impostorTls: true }).start();
    try {
      const joined = await agent.docker('swarm', 'join', '--token', impostor.token('worker'), impostor.addr);
      assert.equal(
        joined.stderr,
        `${DAEMON}rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority"\n`,
      );
      assert.deepEqual(impostor.requests, ['GET /swarm/v1/ca']);
    } finally {
      await impostor.stop();
    }
  });

  it("a wrong secret: the manager's InvalidArgument passes through (400)", async () => {
    const wrong = `${port.token('worker').slice(0, -25)}${'z'.repeat(25)}`;
    assert.deepEqual(await agent.docker('swarm', 'join', '--token', wrong, port.addr), {
      stdout: '',
      stderr: `${DAEMON}rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n`,
      code: 1,
    });
    assert.equal((await agent.docker('info', '--format', '{{.Swarm.LocalNodeState}} {{json .Swarm.Error}}')).stdout, 'inactive ""\n');
  });

  it('joins as a worker: identity in the data dir (0700/0600), heartbeats over mutual TLS', async () => {
    port.requests.length = 0;
    const joined = await agent.docker('swarm', 'join', '--advertise-addr', '127.0.0.2', '--token', port.token('worker'), port.addr);
    assert.deepEqual(joined, { stdout: 'This node joined a swarm as a worker.\n', stderr: '', code: 0 });
    nodeId = [...port.nodes.keys()][0]!;
    assert.deepEqual(port.requests.slice(0, 2), ['GET /swarm/v1/ca', 'POST /swarm/v1/join']);
    const swarm = (await agent.docker('info', '--format', '{{json .Swarm}}')).stdout;
    assert.equal(
      swarm,
      `{"NodeID":"${nodeId}","NodeAddr":"127.0.0.2","LocalNodeState":"active","ControlAvailable":false,"Error":"","RemoteManagers":[{"NodeID":"fakemanager0000000000000","Addr":"${port.addr}"}]}\n`,
    );
    assert.equal((await agent.api('GET', '/_ping')).headers.get('swarm'), 'active/worker');
    assert.equal(statSync(agent.dataDir).mode & 0o777, 0o700);
    // The Engine API's socket (0660, see front-door.e2e.spec.ts) lives there too.
    for (const file of readdirSync(agent.dataDir).filter((f) => f !== 'docker.sock')) assert.equal(statSync(path.join(agent.dataDir, file)).mode & 0o777, 0o600, file);
    const state = JSON.parse(readFileSync(path.join(agent.dataDir, 'swarm-state.json'), 'utf8'));
    assert.deepEqual([state.nodeId, state.clusterId, state.role, state.nodeAddr, state.remoteAddr], [nodeId, 'fakecluster00000000000000', 'worker', '127.0.0.2', port.addr]);
    assert.ok(await eventually(() => port.requests.includes(`POST /swarm/v1/heartbeat as ${nodeId}`)), 'a heartbeat with the node certificate');
  });

  it("a worker answers manager calls with the Engine's 503, network create with 403", async () => {
    assert.deepEqual(await agent.docker('node', 'ls'), { stdout: '', stderr: WORKER, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'join-token', '-q', 'manager'), { stdout: '', stderr: WORKER, code: 1 });
    assert.deepEqual(await agent.docker('swarm', 'update', '--cert-expiry', '2h'), { stdout: '', stderr: WORKER, code: 1 });
    const network = await agent.docker('network', 'create', '-d', 'overlay', 'wnet');
    assert.equal(network.stderr, `${DAEMON}Cannot create a multi-host network from a worker node. Please create the network from a manager node.\n`);
    assert.equal((await agent.api('POST', '/v1.47/networks/create', { Name: 'x', Driver: 'overlay' })).status, 403);
    assert.equal((await agent.api('GET', '/v1.47/nodes')).status, 503);
    assert.deepEqual(await agent.docker('network', 'ls', '-q'), { stdout: '', stderr: '', code: 0 });
    const again = await agent.docker('swarm', 'join', '--token', port.token('worker'), port.addr);
    assert.equal(again.stderr, `${DAEMON}This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n`);
  });

  it('keeps its identity and heartbeats across a restart', async () => {
    await agent.restart();
    assert.equal((await agent.docker('info', '--format', '{{.Swarm.NodeID}} {{.Swarm.LocalNodeState}}')).stdout, `${nodeId} active\n`);
    const beats = node().heartbeats;
    assert.ok(await eventually(() => node().heartbeats > beats + 1), 'heartbeats resume');
  });

  it('heartbeats ride a keep-alive connection', async () => {
    const [beats, connections] = [node().heartbeats, port.connections];
    assert.ok(await eventually(() => node().heartbeats >= beats + 5));
    assert.ok(port.connections - connections <= 1, `${port.connections - connections} new connections for 5 heartbeats`);
  });

  it('promoted: renews for the manager role and forwards the manager API to the control plane', async () => {
    port.engine = (method, url, body, res) => {
      if (url === '/info') return json(res, 200, { Name: 'gateway', Swarm: { NodeID: 'fakemanager0000000000000', Nodes: 2, Managers: 2, Cluster: { ID: 'fakecluster00000000000000' } } });
      if (url.startsWith('/nodes')) {
        return json(res, 200, [
          { ID: 'fakemanager0000000000000', ManagerStatus: { Reachability: 'reachable' } },
          { ID: nodeId, ManagerStatus: { Reachability: 'reachable' } },
        ]);
      }
      if (method === 'POST' && url === '/networks/create') {
        const name = (JSON.parse(body) as { Name: string }).Name;
        if (name === 'overlapping') return json(res, 403, { message: 'invalid pool request: Pool overlaps with other one on this address space' });
        return json(res, 201, { Id: `id-of-${name}`, Warning: '' });
      }
      json(res, 404, { message: 'page not found' });
    };
    node().role = 'manager';
    assert.ok(await eventually(async () => (await agent.api('GET', '/_ping')).headers.get('swarm') === 'active/manager'), 'renewed as a manager');
    assert.ok(node().renewals >= 1);
    assert.equal((await agent.docker('info', '--format', '{{.Name}} {{.Swarm.NodeID}} {{.Swarm.ControlAvailable}} {{.Swarm.Managers}} {{.Swarm.Nodes}}')).stdout, `proto-1 ${nodeId} true 2 2\n`);
    assert.deepEqual(await agent.docker('network', 'create', '-d', 'overlay', 'from-agent'), { stdout: 'id-of-from-agent\n', stderr: '', code: 0 });
    const overlap = await agent.docker('network', 'create', '-d', 'overlay', 'overlapping');
    assert.equal(overlap.stderr, `${DAEMON}invalid pool request: Pool overlaps with other one on this address space\n`, "the Engine API's own 403 passes through");
    assert.ok(port.requests.includes(`POST /swarm/v1/engine/networks/create as ${nodeId}`));
  });

  it("a manager agent streams the control plane's events as they come, and stops with its client", async () => {
    let upstreamClosed = false;
    const previous = port.engine;
    port.engine = (method, url, body, res) => {
      if (!url.startsWith('/events')) return previous(method, url, body, res);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Type":"node","Action":"update"}\n');
      res.on('close', () => (upstreamClosed = true));
    };
    const request = http.get({ socketPath: agent.dockerHost.slice('unix://'.length), path: '/v1.47/events' });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
    assert.equal(response.headers['content-type'], 'application/json');
    const first = await new Promise<Buffer>((resolve) => response.once('data', resolve));
    assert.equal(first.toString(), '{"Type":"node","Action":"update"}\n');
    request.destroy();
    assert.ok(await eventually(() => upstreamClosed), 'the upstream stream ends with the client');
    port.engine = previous;
  });

  it('a manager agent needs --force to leave, worded from the managers it counts', async () => {
    const refused = await agent.docker('swarm', 'leave');
    assert.equal(
      refused.stderr,
      `${DAEMON}You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves 1 managers out of 2. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.\n`,
    );
    assert.equal(node().left, false);
  });

  it('demoted: the refused manager call answers as a worker and the agent takes a worker certificate', async () => {
    node().role = 'worker';
    const renewals = node().renewals;
    assert.ok(await eventually(async () => (await agent.docker('node', 'ls')).stderr === WORKER), 'worker answers once the control plane refuses');
    assert.ok(await eventually(async () => (await agent.api('GET', '/_ping')).headers.get('swarm') === 'active/worker'));
    assert.ok(node().renewals > renewals);
  });

  it('renews a certificate past its renewal point once, then not again', async () => {
    const young = await new FakeSwarmPort().start();
    // swarmkit backdates by 1 h: with 10 min of expiry the certificate is at 85% of its life at once.
    young.joinCertExpiryMs = 10 * 60_000;
    const other = await startAgent();
    try {
      assert.equal((await other.docker('swarm', 'join', '--token', young.token('worker'), young.addr)).code, 0);
      const id = [...young.nodes.keys()][0]!;
      assert.ok(await eventually(() => young.nodes.get(id)!.renewals === 1), 'renewed');
      const beats = young.nodes.get(id)!.heartbeats;
      assert.ok(await eventually(() => young.nodes.get(id)!.heartbeats > beats + 3));
      assert.equal(young.nodes.get(id)!.renewals, 1, 'the renewed certificate is young');
    } finally {
      await other.stop();
      await young.stop();
    }
  });

  it('a removed node keeps reporting active (as the Engine does), logs it, and can still leave', async () => {
    port.removed.add(nodeId);
    assert.ok(await eventually(() => agent.output().includes('the manager no longer knows this node')), agent.output());
    assert.equal((await agent.docker('info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}')).stdout, `active ${nodeId}\n`);
    assert.deepEqual(await agent.docker('swarm', 'leave'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal((await agent.docker('info', '--format', '{{json .Swarm}}')).stdout.includes('"LocalNodeState":"inactive"'), true);
    assert.deepEqual(readdirSync(agent.dataDir), ['docker.sock'], 'the identity is gone; the Engine API still listens');
    const beats = node().heartbeats;
    await new Promise((resolve) => setTimeout(resolve, 3 * port.heartbeatPeriodMs));
    assert.equal(node().heartbeats, beats, 'no heartbeat after leaving');
  });

  it('a worker leaves: the manager is told over mutual TLS', async () => {
    port.removed.clear();
    const joined = await agent.docker('swarm', 'join', '--token', port.token('worker'), port.addr);
    assert.equal(joined.code, 0, joined.stderr);
    const id = [...port.nodes.keys()].at(-1)!;
    assert.deepEqual(await agent.docker('swarm', 'leave'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal(port.nodes.get(id)!.left, true);
    assert.ok(port.requests.includes(`POST /swarm/v1/leave as ${id}`));
  });
});
