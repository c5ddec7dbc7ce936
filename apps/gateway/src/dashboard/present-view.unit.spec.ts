import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSwarmSpec, type SwarmEvent } from '#contracts';
import type { Recorded } from '#eventstore';
import { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentView, recordTokenEvent, type TokenAges } from './present-view.js';
import { changeFor } from './view-changes.js';

const CLUSTER = 'c'.repeat(25);
const NODE = 'n'.repeat(25);
const SECRET = 'plaintextsecret0000000000';
const engine = { hostname: 'vm', engineVersion: '27.5.1', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 2 ** 30 };
const sealed = { alg: 'A256GCM', iv: 'x', ct: 'y', tag: 'z' };

/** Given these events (positions from 1), the read model the gateway keeps and the token ages beside it. */
function given(...events: Array<[type: string, data: Record<string, unknown>]>): { model: SwarmReadModel; tokens: TokenAges; recorded: Recorded<SwarmEvent>[] } {
  const model = new SwarmReadModel(() => SECRET);
  const tokens: TokenAges = new Map();
  const recorded = events.map(([type, data], i) => ({ id: `e${i}`, type, data, stream: 's', revision: i, position: i + 1, time: `2026-06-0${(i % 9) + 1}T00:00:00.000000000Z`, schemaVersion: 1, metadata: { correlationId: 'c', actor: 'test' } }) as unknown as Recorded<SwarmEvent>);
  for (const event of recorded) {
    model.apply(event);
    recordTokenEvent(tokens, event);
  }
  return { model, tokens, recorded };
}

const init: Array<[string, Record<string, unknown>]> = [
  ['SwarmInitStarted', { initId: 'i', clusterId: CLUSTER, nodeId: NODE, ingressNetworkId: 'ingress0', defaultAddrPool: [], subnetSize: 24 }],
  ['SwarmCreated', { clusterId: CLUSTER, spec: defaultSwarmSpec(), defaultAddrPool: [], subnetSize: 24, dataPathPort: 4789, createdAt: 'x' }],
  ['JoinTokensIssued', { clusterId: CLUSTER, caDigest: 'd'.repeat(50), worker: sealed, manager: sealed, workerFingerprint: 'sha256:w1', managerFingerprint: 'sha256:m1' }],
  ['NodeRegistered', { nodeId: NODE, clusterId: CLUSTER, role: 'manager', availability: 'active', labels: {}, addr: '127.0.0.1', managerAddr: '127.0.0.1:2377', leader: true, engine, registeredAt: 'x' }],
  ['NetworkCreated', { networkId: 'ingress0', clusterId: CLUSTER, name: 'ingress', driver: 'overlay', ingress: true, internal: false, attachable: false, labels: {}, options: {}, subnet: '10.0.0.0/24', gateway: '10.0.0.1', explicitSubnet: false, vxlanId: 4096, createdAt: 'x' }],
  ['SwarmInitCompleted', { initId: 'i', clusterId: CLUSTER, nodeId: NODE }],
];

describe("the dashboard's view of the read model", () => {
  it('shows no swarm before an init completes', () => {
    const { model, tokens } = given(...init.slice(0, -1));
    assert.deepEqual(presentView(model, tokens, 5), { position: 5, selfNodeId: null, swarm: null, nodes: [], networks: [] });
  });

  it('after an init: the swarm with the default pool, tokens by fingerprint and age, the node, ingress; never a secret', () => {
    const { model, tokens } = given(...init);
    const view = presentView(model, tokens, 6);
    assert.equal(view.selfNodeId, NODE);
    assert.deepEqual({ ...view.swarm, createdAt: undefined, updatedAt: undefined }, {
      id: CLUSTER, createdAt: undefined, updatedAt: undefined, managers: 1, workers: 0, rootCaExpiry: null, autolock: false,
      tokens: { worker: { fingerprint: 'sha256:w1', since: '2026-06-03T00:00:00.000000000Z' }, manager: { fingerprint: 'sha256:m1', since: '2026-06-03T00:00:00.000000000Z' } },
      tokenMaxAge: { ms: 180 * 86_400_000, text: '180 days' },
      pools: ['10.0.0.0/8'], subnetSize: 24,
    });
    assert.deepEqual(view.nodes.map((n) => [n.hostname, n.role, n.leader, n.state]), [['vm', 'manager', true, 'ready']]);
    assert.deepEqual(view.networks, [{ id: 'ingress0', name: 'ingress', subnet: '10.0.0.0/24', ingress: true, explicit: false, createdAt: 'x' }]);
    assert.ok(model.joinTokens(CLUSTER)?.worker.includes(SECRET), 'the read model itself holds the token (GET /swarm serves it)');
    assert.ok(!JSON.stringify(view).includes(SECRET), 'but the view has no place for it');
  });

  it('a rotation changes one token; a status change is one node row; a remove is one network; an init is everything', () => {
    const { model, tokens } = given(
      ...init,
      ['JoinTokenRotated', { clusterId: CLUSTER, role: 'worker', secret: sealed, fingerprint: 'sha256:w2' }],
      ['NodeStatusChanged', { nodeId: NODE, clusterId: CLUSTER, state: 'down', message: 'heartbeat failure' }],
      ['NetworkRemoved', { networkId: 'ingress0', clusterId: CLUSTER, name: 'ingress' }],
    );
    assert.equal(tokens.get(CLUSTER)?.worker?.fingerprint, 'sha256:w2');
    assert.equal(tokens.get(CLUSTER)?.manager?.fingerprint, 'sha256:m1');
    const event = (type: string, data: Record<string, unknown>, position = 9): Recorded<SwarmEvent> => ({ type, data, position }) as unknown as Recorded<SwarmEvent>;
    const status = changeFor(model, tokens, event('NodeStatusChanged', { nodeId: NODE, clusterId: CLUSTER }));
    assert.ok(status !== 'everything' && status?.node?.state === 'down' && status.swarm === undefined);
    assert.deepEqual(changeFor(model, tokens, event('NetworkRemoved', { networkId: 'ingress0', clusterId: CLUSTER })), { position: 9, networkRemoved: 'ingress0' });
    assert.equal(changeFor(model, tokens, event('SwarmInitCompleted', { clusterId: CLUSTER })), 'everything');
    assert.equal(changeFor(model, tokens, event('NetworkRemoved', { networkId: 'x', clusterId: 'another' })), undefined);
  });
});
