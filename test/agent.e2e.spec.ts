import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { createRootCa, generateNodeKeyAndCsr } from '#platform';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const DAEMON = 'Error response from daemon: ';
const WORKER = `${DAEMON}This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n`;
const REJECTED = `${DAEMON}rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n`;

describe('agents join through the real docker CLI', () => {
  let fx: StackFixture;
  let worker: AgentFixture;
  let manager: AgentFixture;
  let swarmPort: number;
  let workerToken: string;

  before(async () => {
    fx = await startStackFixture();
    swarmPort = await freePort();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${swarmPort}`, '--dispatcher-heartbeat', '1s');
    assert.equal(init.code, 0, init.stderr);
    worker = await startAgent('worker-1');
    manager = await startAgent('manager-2');
    workerToken = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
  });
  after(async () => {
    await worker?.stop();
    await manager?.stop();
    await fx?.stop();
  });

  it('an agent outside any swarm answers as an inactive engine', async () => {
    const info = await worker.docker('info', '--format', '{{json .Swarm}}');
    assert.equal(info.stdout, '{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}\n');
    assert.equal((await worker.docker('node', 'ls')).stderr, `${DAEMON}This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n`);
    assert.deepEqual(await worker.docker('swarm', 'leave'), { stdout: '', stderr: `${DAEMON}This node is not part of a swarm\n`, code: 1 });
  });

  it('malformed, wrong-digest, wrong-secret and unreachable joins fail with the Engine\'s texts', async () => {
    const at = `127.0.0.1:${swarmPort}`;
    assert.deepEqual(await worker.docker('swarm', 'join', '--token', 'SWMTKN-1-abc', at), { stdout: '', stderr: `${DAEMON}invalid join token\n`, code: 1 });
    const otherDigest = BigInt(`0x${createHash('sha256').update('other').digest('hex')}`).toString(36).padStart(50, '0');
    const wrongDigest = `SWMTKN-1-${otherDigest}-${workerToken.slice(-25)}`;
    assert.deepEqual(await worker.docker('swarm', 'join', '--token', wrongDigest, at), {
      stdout: '',
      stderr: `${DAEMON}remote CA does not match fingerprint. Expected: ${createHash('sha256').update('other').digest('hex')}\n`,
      code: 1,
    });
    const wrongSecret = `${workerToken.slice(0, -25)}${'z'.repeat(25)}`;
    assert.deepEqual(await worker.docker('swarm', 'join', '--token', wrongSecret, at), { stdout: '', stderr: REJECTED, code: 1 });
    const closed = await freePort();
    const refused = await worker.docker('swarm', 'join', '--token', workerToken, `127.0.0.1:${closed}`);
    assert.equal(refused.stderr, `${DAEMON}rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:${closed}: connect: connection refused"\n`);
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'inactive\n');
  });

  it('a man-in-the-middle swarm port with another CA gets no CSR', async () => {
    const impostor = createRootCa(new Date());
    const { keyPem } = generateNodeKeyAndCsr();
    void keyPem;
    const requests: string[] = [];
    const { privateKey, certificate } = selfSignedServer();
    const server = https.createServer({ key: privateKey, cert: certificate }, (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(impostor.certPem);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const r = await worker.docker('swarm', 'join', '--token', workerToken, `127.0.0.1:${port}`);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^Error response from daemon: remote CA does not match fingerprint\. Expected: [0-9a-f]{64}\n$/);
      assert.deepEqual(requests, ['GET /swarm/v1/ca'], 'only the CA was fetched; no CSR reached the impostor');
    } finally {
      server.close();
    }
  });

  it('a worker joins; the manager lists it; the worker answers manager calls with 503 and 403', async () => {
    const joined = await worker.docker('swarm', 'join', '--token', workerToken, `127.0.0.1:${swarmPort}`);
    assert.deepEqual(joined, { stdout: 'This node joined a swarm as a worker.\n', stderr: '', code: 0 });
    const info = JSON.parse((await worker.docker('info', '--format', '{{json .Swarm}}')).stdout);
    assert.equal(info.LocalNodeState, 'active');
    assert.equal(info.ControlAvailable, false);
    assert.deepEqual(info.RemoteManagers, [{ NodeID: info.RemoteManagers[0].NodeID, Addr: `127.0.0.1:${swarmPort}` }]);
    const ls = await fx.docker('node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}');
    assert.ok(ls.stdout.includes('worker-1 Ready \n'), ls.stdout);
    assert.deepEqual(await worker.docker('node', 'ls'), { stdout: '', stderr: WORKER, code: 1 });
    assert.deepEqual(await worker.docker('swarm', 'join-token', 'worker'), { stdout: '', stderr: WORKER, code: 1 });
    const network = await worker.docker('network', 'create', '-d', 'overlay', 'wnet');
    assert.equal(network.stderr, `${DAEMON}Cannot create a multi-host network from a worker node. Please create the network from a manager node.\n`);
    const again = await worker.docker('swarm', 'join', '--token', workerToken, `127.0.0.1:${swarmPort}`);
    assert.equal(again.stderr, `${DAEMON}This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n`);
  });

  it('a joined node keeps working after the worker token is rotated, and after an agent restart', async () => {
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    await worker.restart();
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'active\n');
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal((await fx.docker('node', 'inspect', 'worker-1', '--format', '{{.Status.State}}')).stdout, 'ready\n');
  });

  it('a manager token joins a manager agent that serves the manager API over the swarm port', async () => {
    const token = (await fx.docker('swarm', 'join-token', '-q', 'manager')).stdout.trim();
    const joined = await manager.docker('swarm', 'join', '--token', token, `127.0.0.1:${swarmPort}`);
    assert.deepEqual(joined, { stdout: 'This node joined a swarm as a manager.\n', stderr: '', code: 0 });
    const ls = await manager.docker('node', 'ls', '--format', '{{.Hostname}} {{.Self}} {{.ManagerStatus}}');
    assert.ok(ls.stdout.includes('manager-2 true Reachable\n'), ls.stdout);
    assert.equal(ls.stdout.trim().split('\n').length, 3);
    assert.equal((await manager.docker('info', '--format', '{{.Swarm.ControlAvailable}} {{.Swarm.Managers}} {{.Swarm.Nodes}}')).stdout, 'true 2 3\n');
    const created = await manager.docker('network', 'create', '-d', 'overlay', 'from-manager-2');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((await fx.docker('network', 'inspect', 'from-manager-2', '--format', '{{.Name}}')).stdout, 'from-manager-2\n');
  });

  it('promote and demote reach the agent: it renews its certificate for the new role', async () => {
    assert.equal((await fx.docker('node', 'promote', 'worker-1')).code, 0);
    const deadline = Date.now() + 10_000;
    let ls = await worker.docker('node', 'ls', '-q');
    while (ls.code !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      ls = await worker.docker('node', 'ls', '-q');
    }
    assert.equal(ls.code, 0, 'the promoted agent serves the manager API');
    assert.equal((await fx.docker('node', 'demote', 'worker-1')).code, 0);
    let denied = await worker.docker('node', 'ls');
    while (denied.code === 0 && Date.now() < deadline + 10_000) {
      await new Promise((r) => setTimeout(r, 250));
      denied = await worker.docker('node', 'ls');
    }
    assert.equal(denied.stderr, WORKER);
    let control = '';
    while (control !== 'false\n' && Date.now() < deadline + 20_000) {
      control = (await worker.docker('info', '--format', '{{.Swarm.ControlAvailable}}')).stdout;
      if (control !== 'false\n') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(control, 'false\n', 'the agent took its worker certificate');
  });

  it('leave: the worker leaves and goes down on the manager; a manager agent needs force', async () => {
    const leaveManager = await manager.docker('swarm', 'leave');
    assert.equal(leaveManager.code, 1);
    assert.match(leaveManager.stderr, /You are attempting to leave the swarm on a node that is participating as a manager\. Removing this node leaves \d managers out of \d\./);
    assert.deepEqual(await worker.docker('swarm', 'leave'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal((await worker.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'inactive\n');
    assert.equal((await fx.docker('node', 'inspect', 'worker-1', '--format', '{{.Status.State}}')).stdout, 'down\n');
    assert.deepEqual(await fx.docker('node', 'rm', 'worker-1'), { stdout: 'worker-1\n', stderr: '', code: 0 });
  });
});

/** A throw-away TLS identity for the impostor's server. */
function selfSignedServer(): { privateKey: string; certificate: string } {
  const root = createRootCa(new Date());
  return { privateKey: root.keyPem, certificate: root.certPem };
}
