import { UnlockKeys } from '../autolock/unlock-keys.js';
import { KekHolder } from '#service-host';
import { engineFixture, givenEvents, type ServiceStandIns, standInRpc, testKek, thenEvents } from '#testing';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSwarmSpec, DomainError, type InitSwarmRequest, Streams, SwarmErrors } from '#contracts';
import { InitProcess } from './init-process.js';
import { InitSwarmHandler } from './init-swarm.handler.js';

const request = (extra: Partial<InitSwarmRequest> = {}): InitSwarmRequest => ({
  context: { correlationId: 'spec-init', actor: 'user:spec' },
  listenAddr: '0.0.0.0:2377',
  advertiseHost: '192.0.2.2',
  advertisePort: '2377',
  dataPathPort: 4789,
  defaultAddrPool: null,
  subnetSize: 24,
  spec: defaultSwarmSpec(),
  availability: 'active',
  engine: engineFixture,
  ...extra,
});

/** ca-, token- and ipam-service as the init asks them, each answering at once. */
const services = (extra: ServiceStandIns = {}): ServiceStandIns => ({
  'ca.root.create': () => ({ certPem: 'ca', caDigest: 'digest', position: 1 }),
  'ca.node-certificate.issue': () => ({ certPem: 'cert', position: 1 }),
  'tokens.issue': () => ({ position: 1 }),
  'ipam.initialize': () => ({ position: 1 }),
  ...extra,
});

function initHandler(store: Awaited<ReturnType<typeof givenEvents>>, standIns: ServiceStandIns) {
  const { rpc, sent } = standInRpc(standIns);
  return { handler: new InitSwarmHandler(store, new InitProcess(store, rpc, new UnlockKeys(store, KekHolder.fixed(testKek())), () => 0)), sent };
}

describe('init swarm', () => {
  it('given no swarm: claims the membership, has the steps made, records the cluster and the manager, completes', async () => {
    const store = await givenEvents();
    const { handler, sent } = initHandler(store, services());
    const reply = await handler.init(request());
    const membership = await thenEvents(store, Streams.membership());
    assert.deepEqual(membership.map((e) => e.type), ['SwarmInitStarted', 'SwarmInitCompleted']);
    const started = membership[0];
    assert.ok(started?.type === 'SwarmInitStarted');
    assert.equal(started.data.nodeId, reply.nodeId);
    const [node] = await thenEvents(store, Streams.node(reply.nodeId));
    assert.ok(node?.type === 'NodeRegistered');
    assert.deepEqual([node.data.role, node.data.leader, node.data.managerAddr], ['manager', true, '192.0.2.2:2377']);
    assert.deepEqual((await thenEvents(store, Streams.cluster(started.data.clusterId))).map((e) => e.type), ['SwarmCreated']);
    assert.deepEqual(sent.map((s) => s.subject).sort(), ['ca.node-certificate.issue', 'ca.root.create', 'ipam.initialize', 'tokens.issue']);
    assert.equal(reply.position, await store.headPosition());
  });

  it('given a swarm: "already part of a swarm", nothing recorded', async () => {
    const store = await givenEvents();
    const { handler } = initHandler(store, services());
    await handler.init(request());
    const head = await store.headPosition();
    await assert.rejects(handler.init(request()), (e: unknown) => e instanceof DomainError && e.code === 'AlreadyInSwarm');
    assert.equal(await store.headPosition(), head);
  });

  it('a request its schema refuses writes nothing', async () => {
    const store = await givenEvents();
    const { handler, sent } = initHandler(store, services());
    await assert.rejects(handler.init({ ...request(), dataPathPort: 'x' }), (e: unknown) => e instanceof DomainError && e.kind === 'InvalidParameter');
    assert.equal(await store.headPosition(), 0);
    assert.deepEqual(sent, []);
  });

  it('a step that refuses for good abandons the init (all or nothing) and its refusal is the caller\'s', async () => {
    const store = await givenEvents();
    const refusal = SwarmErrors.invalidParameter('invalid CIDR: "10.0.0.0/8". Subnet size is too small for pool: 4');
    const { handler } = initHandler(store, services({
      'ipam.initialize': () => {
        throw new DomainError(refusal);
      },
    }));
    await assert.rejects(handler.init(request()), (e: unknown) => e instanceof DomainError && e.message === refusal.message);
    const membership = await thenEvents(store, Streams.membership());
    assert.deepEqual(membership.map((e) => e.type), ['SwarmInitStarted', 'SwarmInitAbandoned']);
    assert.ok(membership[1]?.type === 'SwarmInitAbandoned' && membership[1].data.reason.message === refusal.message);
  });
});
