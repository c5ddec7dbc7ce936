import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { DomainError, Subjects, defaultSwarmSpec, type InitSwarmRequest } from '#contracts';
import { RpcClient } from '#rpc';
import { freePort } from '#testing';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

/**
 * node-service's side of `swarm init`, on its own: requests sent straight over NATS (no gateway
 * checks) either write nothing or end active or inactive, never `pending`.
 */
describe('swarm init is all or nothing (node-service over NATS)', () => {
  let fx: StackFixture;
  let rpc: RpcClient;
  before(async () => {
    fx = await startStackFixture();
    rpc = new RpcClient(ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [fx.natsUrl] } }));
  });
  after(async () => {
    await rpc?.close();
    await fx?.stop();
  });

  const request = (listenPort: number, overrides: Record<string, unknown> = {}): InitSwarmRequest =>
    ({
      context: { correlationId: `e2e-${listenPort}`, actor: 'test' },
      listenAddr: `127.0.0.1:${listenPort}`,
      advertiseHost: '127.0.0.1',
      advertisePort: String(listenPort),
      dataPathPort: 4789,
      defaultAddrPool: null,
      subnetSize: 24,
      spec: defaultSwarmSpec(),
      availability: 'active',
      engine: { hostname: 'e2e-manager', engineVersion: 'test', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 2 ** 30 },
      ...overrides,
    }) as InitSwarmRequest;

  const refusal = async (payload: InitSwarmRequest): Promise<string> => {
    try {
      await rpc.request(Subjects.swarmInit, payload);
      return 'accepted';
    } catch (error) {
      assert.ok(error instanceof DomainError);
      return `${error.kind}: ${error.message}`;
    }
  };
  const localState = async (): Promise<string> => (await fx.docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout.trim();
  /** The gateway learns of an abandonment from the log; the refusal's reply carries no position to wait for. */
  const eventually = async (want: string, timeoutMs = 5_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let state = await localState();
    while (state !== want && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await localState();
    }
    return state;
  };
  const membershipTypes = async (): Promise<string[]> =>
    (JSON.parse((await fx.api('GET', '/audit/events?stream=membership')).text) as { type: string }[]).map((e) => e.type);

  it('refuses bad input before the first event', async () => {
    const port = await freePort();
    assert.equal(await refusal(request(port, { subnetSize: 'abc' })), 'InvalidParameter: invalid swarm init request: subnetSize must be integer, not string');
    const spec = (expiry: unknown) => ({ spec: { ...defaultSwarmSpec(), CAConfig: { NodeCertExpiry: expiry } } });
    assert.equal(await refusal(request(port, spec('abc'))), 'InvalidParameter: invalid swarm init request: spec.CAConfig.NodeCertExpiry must be integer, not string');
    assert.match(await refusal(request(port, spec(1e26))), /^InvalidParameter: invalid swarm init request: spec\.CAConfig\.NodeCertExpiry must be <= /);
    assert.deepEqual(await membershipTypes(), []);
    assert.equal(await localState(), 'inactive');
  });

  it('through the gateway too: the issue\'s inputs leave no swarm and no event behind', async () => {
    const port = await freePort();
    const bodies = [
      { SubnetSize: 'abc', DefaultAddrPool: [] },
      { Spec: { CAConfig: { NodeCertExpiry: 'abc' } } },
      { Spec: { CAConfig: { NodeCertExpiry: 1e26 } } },
    ];
    for (const body of bodies) {
      const response = await fx.api('POST', '/v1.47/swarm/init', { ListenAddr: `127.0.0.1:${port}`, AdvertiseAddr: '127.0.0.1', ...body });
      assert.ok(response.status >= 400 && response.status < 500, `${JSON.stringify(body)}: ${response.status} ${response.text}`);
      assert.equal(await localState(), 'inactive');
    }
    assert.deepEqual(await membershipTypes(), []);
  });

  it('abandons an init a step refuses (ipam: a subnet size that does not fit its pool), and a docker swarm init works next', async () => {
    const port = await freePort();
    const refused = await refusal(request(port, { defaultAddrPool: ['10.0.0.0/8'], subnetSize: 4 }));
    assert.equal(refused, 'InvalidParameter: invalid CIDR: "10.0.0.0/8". Subnet size is too small for pool: 4');
    assert.deepEqual(await membershipTypes(), ['SwarmInitStarted', 'SwarmInitAbandoned']);
    assert.equal(await eventually('inactive'), 'inactive');

    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    assert.equal(init.code, 0, init.stderr);
    assert.equal(await localState(), 'active');
    const ls = await fx.docker('node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}');
    assert.equal(ls.stdout.trim().split('\n').length, 1, ls.stdout);
    assert.equal((await fx.api('GET', '/audit/state')).status, 200);
    assert.equal((await fx.docker('swarm', 'leave', '--force')).code, 0);
    assert.equal(await localState(), 'inactive');
  });

  it('resumes an init whose node-service was killed mid-way, to active', async () => {
    const ipam = fx.stack.processes.get('ipam-service')?.[0];
    assert.ok(ipam?.pid);
    const port = await freePort();
    // ipam-service stops answering (SIGSTOP): the init waits on its step, as a crash would find it.
    process.kill(ipam.pid, 'SIGSTOP');
    try {
      const pending = rpc.request(Subjects.swarmInit, request(port)).catch((error: unknown) => error);
      assert.equal(await eventually('pending'), 'pending');
      await fx.stack.restartReplica('node-service', 0);
      process.kill(ipam.pid, 'SIGCONT');
      assert.equal(await eventually('active', 90_000), 'active');
      const answer = await pending;
      assert.ok(answer instanceof DomainError && answer.kind === 'Unavailable', `the killed node-service never answered: ${String(answer)}`);
    } finally {
      process.kill(ipam.pid, 'SIGCONT');
    }
    const types = await membershipTypes();
    assert.equal(types.at(-1), 'SwarmInitCompleted', types.join(','));
    const ls = await fx.docker('node', 'ls', '--format', '{{.Hostname}}');
    assert.equal(ls.stdout.trim(), 'e2e-manager');
  });
});
