import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { SwarmPortPaths } from '#contracts';
import { freePort } from '#testing';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';
import { SwarmPortClient } from './support/swarm-port-client.js';

const FAILED_PRECONDITION = 'Error response from daemon: rpc error: code = FailedPrecondition desc = ';

describe('joining nodes and node management on the manager (swarm port protocol)', () => {
  let fx: StackFixture;
  let port: SwarmPortClient;
  let ca: string;
  let worker: { nodeId: string; keyPem: string; certPem: string; ca: string };
  let managerId: string;

  before(async () => {
    fx = await startStackFixture();
    const listen = await freePort();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${listen}`, '--dispatcher-heartbeat', '1s');
    assert.equal(init.code, 0, init.stderr);
    port = new SwarmPortClient('127.0.0.1', listen);
    managerId = (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
  });
  after(async () => {
    await fx?.stop();
  });

  it('serves the root CA as GET /swarm shows it', async () => {
    const swarm = JSON.parse((await fx.api('GET', '/v1.47/swarm')).text);
    const response = await port.rootCa();
    assert.equal(response.status, 200);
    assert.equal(response.body, swarm.TLSInfo.TrustRoot);
    ca = response.body;
  });

  it('a worker token gets a worker certificate signed by the CA; node ls lists it', async () => {
    const token = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const { response, keyPem, reply } = await port.join(token, ca, 'worker-1');
    assert.equal(response.status, 200, response.body);
    assert.ok(reply);
    assert.equal(reply.role, 'worker');
    assert.equal(reply.caPem, ca);
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(reply.certPem);
    assert.ok(cert.verify(new X509Certificate(ca).publicKey));
    assert.equal(cert.subject, `O=${reply.clusterId}\nOU=swarm-worker\nCN=${reply.nodeId}`);
    worker = { nodeId: reply.nodeId, keyPem, certPem: reply.certPem, ca };
    const ls = await fx.docker('node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}} {{.Self}}');
    assert.deepEqual(ls.stdout.trim().split('\n').sort(), [`${os.hostname()} Ready Active Leader true`, 'worker-1 Ready Active  false'].sort());
    const info = await fx.docker('info', '--format', '{{.Swarm.Nodes}} {{.Swarm.Managers}}');
    assert.equal(info.stdout, '2 1\n');
  });

  it('node ps and service ls print their empty tables (this control plane runs no services), as an Engine with none', async () => {
    const header = 'ID        NAME      IMAGE     NODE      DESIRED STATE   CURRENT STATE   ERROR     PORTS\n';
    assert.deepEqual(await fx.docker('node', 'ps'), { stdout: header, stderr: '', code: 0 });
    assert.deepEqual(await fx.docker('node', 'ps', 'worker-1', '--filter', 'desired-state=running'), { stdout: header, stderr: '', code: 0 });
    // Recorded: `docker node ps self --format '{{.Name}}'` prints nothing and exits 0.
    assert.deepEqual(await fx.docker('node', 'ps', 'self', '--format', '{{.Name}}'), { stdout: '', stderr: '', code: 0 });
    const nosuch = await fx.docker('node', 'ps', 'nosuch');
    assert.deepEqual(nosuch, { stdout: '', stderr: 'Error response from daemon: node nosuch not found\n', code: 1 });
    const badState = await fx.docker('node', 'ps', '--filter', 'desired-state=sleeping');
    assert.deepEqual(badState, { stdout: '', stderr: "Error response from daemon: Invalid desired-state filter: 'sleeping'\n", code: 1 });
    // No services either: the service commands answer as an Engine without any.
    assert.deepEqual(await fx.docker('service', 'ls'), { stdout: 'ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n', stderr: '', code: 0 });
    assert.deepEqual(await fx.docker('service', 'ps', 'web'), { stdout: '', stderr: 'no such service: web\n', code: 1 });
    const raw = await fx.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ node: { [managerId]: true } }))}`);
    assert.deepEqual([raw.status, raw.headers.get('content-type'), raw.text], [200, 'application/json', '[]\n']);
  });

  it('wrong, malformed and rotated tokens are refused with Docker\'s texts and write nothing', async () => {
    const token = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const wrong = await port.join(`${token.slice(0, -5)}zzzzz`, ca);
    assert.deepEqual([wrong.response.status, JSON.parse(wrong.response.body).message], [400, 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster']);
    const malformed = await port.join('SWMTKN-1-abc', ca);
    assert.deepEqual([malformed.response.status, JSON.parse(malformed.response.body).message], [500, 'invalid join token']);
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    const rotated = await port.join(token, ca);
    assert.equal(rotated.response.status, 400);
    assert.equal((await fx.docker('node', 'ls', '-q')).stdout.trim().split('\n').length, 2);
  });

  it('a joined node keeps working after the token rotation: heartbeat and renewal by certificate', async () => {
    const beat = await port.asNode(SwarmPortPaths.heartbeat, worker);
    assert.equal(beat.status, 200, beat.body);
    assert.equal(JSON.parse(beat.body).role, 'worker');
    const { generateNodeKeyAndCsr } = await import('#pki');
    const fresh = generateNodeKeyAndCsr();
    const renewed = await port.asNode(SwarmPortPaths.renew, worker, { csrPem: fresh.csrPem });
    assert.equal(renewed.status, 200, renewed.body);
    worker = { ...worker, keyPem: fresh.keyPem, certPem: JSON.parse(renewed.body).certPem };
    const noCert = await port.asNode(SwarmPortPaths.renew, { ca, keyPem: '', certPem: '' }, { csrPem: fresh.csrPem }).catch(() => undefined);
    assert.notEqual(noCert?.status, 200);
  });

  it('a worker certificate cannot use the control plane; node update, promote and demote behave as the Engine', async () => {
    const denied = await port.asNode(`${SwarmPortPaths.enginePrefix}/v1.47/nodes`, worker, undefined, 'GET');
    assert.equal(denied.status, 403);
    assert.deepEqual(await fx.docker('node', 'update', '--availability', 'drain', 'worker-1'), { stdout: 'worker-1\n', stderr: '', code: 0 });
    assert.deepEqual(await fx.docker('node', 'update', '--label-add', 'a=b', 'worker-1'), { stdout: 'worker-1\n', stderr: '', code: 0 });
    const spec = await fx.docker('node', 'inspect', 'worker-1', '--format', '{{json .Spec}}');
    assert.equal(spec.stdout, '{"Labels":{"a":"b"},"Role":"worker","Availability":"drain"}\n');
    const bogus = await fx.docker('node', 'update', '--availability', 'bogus', 'worker-1');
    assert.equal(bogus.code, 1);
    assert.deepEqual(await fx.docker('node', 'promote', 'worker-1'), { stdout: 'Node worker-1 promoted to a manager in the swarm.\n', stderr: '', code: 0 });
    assert.equal((await fx.docker('node', 'promote', 'worker-1')).stdout, `Node ${worker.nodeId} is already a manager.\n`);
    const asManager = await port.asNode(SwarmPortPaths.heartbeat, worker);
    assert.equal(JSON.parse(asManager.body).role, 'manager', 'the heartbeat tells the node its new role');
    assert.deepEqual(await fx.docker('node', 'demote', 'worker-1'), { stdout: 'Manager worker-1 demoted in the swarm.\n', stderr: '', code: 0 });
    const last = await fx.docker('node', 'demote', managerId);
    assert.deepEqual(last, { stdout: '', stderr: `${FAILED_PRECONDITION}attempting to demote the last manager of the swarm\n`, code: 1 });
    const rmManager = await fx.docker('node', 'rm', '--force', managerId);
    assert.equal(rmManager.stderr, `${FAILED_PRECONDITION}node ${managerId} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal\n`);
    const self = await fx.docker('node', 'update', '--availability', 'active', 'self');
    assert.deepEqual(self, { stdout: '', stderr: 'Error response from daemon: node self not found\n', code: 1 });
    const stale = await fx.api('POST', `/v1.47/nodes/${worker.nodeId}/update?version=1`, { Role: 'worker', Availability: 'active', Labels: {} });
    assert.deepEqual([stale.status, stale.text], [500, '{"message":"rpc error: code = Unknown desc = update out of sequence"}\n']);
  });

  it('a live worker is not removed without force', async () => {
    await port.asNode(SwarmPortPaths.heartbeat, worker);
    const live = await fx.docker('node', 'rm', 'worker-1');
    assert.deepEqual(live, { stdout: '', stderr: `${FAILED_PRECONDITION}node ${worker.nodeId} is not down and can't be removed\n`, code: 1 });
  });

  it('a node that stops heartbeating goes down, and ready when it comes back', async () => {
    const deadline = Date.now() + 15_000;
    let status = '';
    while (Date.now() < deadline && status !== 'down') {
      status = (await fx.docker('node', 'inspect', 'worker-1', '--format', '{{.Status.State}}')).stdout.trim();
      if (status !== 'down') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, 'down');
    const message = await fx.docker('node', 'inspect', 'worker-1', '--format', '{{json .Status}}');
    assert.equal(message.stdout, '{"State":"down","Message":"heartbeat failure","Addr":"127.0.0.1"}\n');
    await port.asNode(SwarmPortPaths.heartbeat, worker);
    const until = Date.now() + 5000;
    while (Date.now() < until && status !== 'ready') {
      status = (await fx.docker('node', 'inspect', 'worker-1', '--format', '{{.Status.State}}')).stdout.trim();
      if (status !== 'ready') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'ready');
  });

  it('services restarted with empty read models: node ls is unchanged', async () => {
    const before = (await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Availability}} {{.ManagerStatus}}')).stdout;
    for (const app of ['node-service', 'ca-service', 'token-service', 'gateway']) await fx.stack.restart(app);
    const after = (await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Availability}} {{.ManagerStatus}}')).stdout;
    assert.equal(after, before);
  });

  it('after leave the node is down; a removed node cannot renew', async () => {
    const left = await port.asNode(SwarmPortPaths.leave, worker);
    assert.equal(left.status, 200, left.body);
    assert.equal((await fx.docker('node', 'inspect', 'worker-1', '--format', '{{.Status.State}}')).stdout, 'down\n');
    assert.deepEqual(await fx.docker('node', 'rm', 'worker-1'), { stdout: 'worker-1\n', stderr: '', code: 0 });
    const { generateNodeKeyAndCsr } = await import('#pki');
    const renew = await port.asNode(SwarmPortPaths.renew, worker, { csrPem: generateNodeKeyAndCsr().csrPem });
    assert.equal(renew.status, 403);
    assert.equal((await fx.docker('node', 'ls', '-q')).stdout, `${managerId}\n`);
  });
});
