import { UnlockKeys } from '../autolock/unlock-keys.js';
import { KekHolder } from '#service-host';
import { type NatsServerHandle, startNatsServer, testKek } from '#testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DomainError,
  Streams,
  Subjects,
  SwarmErrors,
  defaultSwarmSpec,
  type InitSwarmRequest,
  type InitializeIpamRequest,
  MembershipEventTypes,
} from '#contracts';
import { decideNetworkSpace, evolveMembership, initialMembership, type Membership, newNetworkSpace } from '#domain';
import { type EventStore, JetStreamEventStore, loadStream } from '#eventstore';
import type { RpcClient } from '#rpc';
import { InitProcess } from './init-process.js';
import { InitSwarmHandler } from './init-swarm.handler.js';
import { ResumeInitService } from './resume-init.service.js';

const request = (overrides: Partial<InitSwarmRequest> = {}): InitSwarmRequest => ({
  context: { correlationId: 'test-init', actor: 'test' },
  listenAddr: '127.0.0.1:2377',
  advertiseHost: '127.0.0.1',
  advertisePort: '2377',
  dataPathPort: 4789,
  defaultAddrPool: null,
  subnetSize: 24,
  spec: defaultSwarmSpec(),
  availability: 'active',
  engine: { hostname: 'manager-1', engineVersion: 'test', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 2 ** 30 },
  ...overrides,
});

/**
 * ca-, token- and ipam-service as the init sees them over NATS. ipam applies the real address-space
 * rule (libs/domain), so a subnet size that does not fit its pool is refused as ipam-service refuses it.
 */
class FakeServices {
  readonly calls: string[] = [];
  /** ipam.initialize answers "no answer in time" this many times first. */
  ipamUnavailable = 0;

  readonly rpc = {
    request: async (subject: string, payload: unknown): Promise<unknown> => {
      this.calls.push(subject);
      switch (subject) {
        case Subjects.caCreateRoot:
          return { certPem: 'ca', caDigest: 'digest', position: 0 };
        case Subjects.caIssueNodeCertificate:
          return { certPem: 'cert', position: 0 };
        case Subjects.tokensIssue:
          return { position: 0 };
        case Subjects.ipamInitialize: {
          if (this.ipamUnavailable > 0) {
            this.ipamUnavailable--;
            throw new DomainError(SwarmErrors.serviceUnavailable(subject));
          }
          const { clusterId, pools, subnetSize } = payload as InitializeIpamRequest;
          decideNetworkSpace({ type: 'ConfigurePools', clusterId, pools, subnetSize }, newNetworkSpace());
          return { position: 0 };
        }
        default:
          throw new Error(`unexpected ${subject}`);
      }
    },
  } as unknown as RpcClient;
}

async function membershipOf(store: EventStore): Promise<{ state: Membership; types: string[] }> {
  const { state, events } = await loadStream(store, Streams.membership(), { types: MembershipEventTypes, initialState: initialMembership, evolve: evolveMembership });
  return { state, types: events.map((e) => e.type) };
}

describe('the init process manager: all or nothing', () => {
  let server: NatsServerHandle;
  const stores: JetStreamEventStore[] = [];
  let streams = 0;
  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    for (const store of stores) await store.close();
    await server?.stop();
  });

  /** A store of its own per test (its own JetStream stream), so each starts with no membership. */
  async function setUp(): Promise<{ store: JetStreamEventStore; services: FakeServices; handler: InitSwarmHandler; process: InitProcess }> {
    streams++;
    const store = await JetStreamEventStore.connect({ servers: server.url, streamName: `INIT_${streams}`, subjectPrefix: `init${streams}` });
    stores.push(store);
    const services = new FakeServices();
    const process = new InitProcess(store, services.rpc, new UnlockKeys(store, KekHolder.fixed(testKek())), () => 10);
    return { store, services, handler: new InitSwarmHandler(store, process), process };
  }

  it('abandons an init a step refuses for good: inactive again, the step\'s error for the caller, and a good init works next', async () => {
    const { store, handler } = await setUp();
    await assert.rejects(handler.init(request({ defaultAddrPool: ['10.0.0.0/8'], subnetSize: 4 })), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.deepEqual(error.toPayload(), SwarmErrors.invalidParameter('invalid CIDR: "10.0.0.0/8". Subnet size is too small for pool: 4'));
      return true;
    });
    const refused = await membershipOf(store);
    assert.equal(refused.state.status, 'inactive');
    assert.deepEqual(refused.types, ['SwarmInitStarted', 'SwarmInitAbandoned']);

    const reply = await handler.init(request());
    const done = await membershipOf(store);
    assert.equal(done.state.status, 'active');
    assert.equal(done.state.status === 'active' && done.state.init.nodeId, reply.nodeId);
    assert.deepEqual(done.types, ['SwarmInitStarted', 'SwarmInitAbandoned', 'SwarmInitStarted', 'SwarmInitCompleted']);
  });

  it('tries a step again while it does not answer, and completes', async () => {
    const { store, services, handler } = await setUp();
    services.ipamUnavailable = 2;
    await handler.init(request());
    assert.equal(services.calls.filter((s) => s === Subjects.ipamInitialize).length, 3);
    assert.equal((await membershipOf(store)).state.status, 'active');
  });

  it('refuses a request its schema refuses before the first event', async () => {
    const { store, services, handler } = await setUp();
    const cases: [unknown, string][] = [
      [{ ...request(), subnetSize: 'abc' }, 'invalid swarm init request: subnetSize must be integer, not string'],
      [{ ...request(), spec: { ...defaultSwarmSpec(), CAConfig: { NodeCertExpiry: 'abc' } } }, 'invalid swarm init request: spec.CAConfig.NodeCertExpiry must be integer, not string'],
      [{ ...request(), spec: { ...defaultSwarmSpec(), CAConfig: { NodeCertExpiry: 1e26 } } }, 'invalid swarm init request: spec.CAConfig.NodeCertExpiry must be <= 9223372036854776000'],
      [{ ...request(), engine: null }, 'invalid swarm init request: engine must be object, not null'],
      [null, 'invalid swarm init request: body must be object, not null'],
    ];
    for (const [payload, message] of cases) {
      await assert.rejects(handler.init(payload), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.deepEqual(error.toPayload(), SwarmErrors.invalidParameter(message));
        return true;
      });
    }
    assert.deepEqual((await membershipOf(store)).types, []);
    assert.deepEqual(services.calls, []);
  });

  it('resumes an init a crash left half-done, to active', async () => {
    const { store, services, process } = await setUp();
    services.ipamUnavailable = 1;
    // As if node-service died right after SwarmInitStarted: the handler's claim without the process.
    const claim = new InitSwarmHandler(store, { run: async () => 0 } as unknown as InitProcess);
    await claim.init(request());
    assert.equal((await membershipOf(store)).state.status, 'initializing');
    new ResumeInitService(store, process).onApplicationBootstrap();
    const deadline = Date.now() + 10_000;
    while ((await membershipOf(store)).state.status === 'initializing' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await membershipOf(store)).state.status, 'active');
  });

  it('resumes an init a crash left half-done whose step now refuses, to inactive', async () => {
    const { store, process } = await setUp();
    const claim = new InitSwarmHandler(store, { run: async () => 0 } as unknown as InitProcess);
    await claim.init(request({ defaultAddrPool: ['10.20.0.0/16'], subnetSize: 8 }));
    new ResumeInitService(store, process).onApplicationBootstrap();
    const deadline = Date.now() + 10_000;
    while ((await membershipOf(store)).state.status === 'initializing' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual((await membershipOf(store)).types, ['SwarmInitStarted', 'SwarmInitAbandoned']);
  });
});
