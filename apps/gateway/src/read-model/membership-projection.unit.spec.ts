import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSwarmSpec, type EventData, type MembershipEvent } from '#contracts';
import { recordedEvent } from '#testing';
import { stateAt } from '../audit/audit-state.js';
import { presentSwarmInfo } from '../system/info.presenter.js';
import { SwarmReadModel } from './swarm-read-model.js';

const init: EventData<'SwarmInitStarted'> = {
  initId: 'init-1',
  clusterId: 'cluster-1',
  nodeId: 'node-1',
  ingressNetworkId: 'ingress-1',
  listenAddr: '127.0.0.1:2377',
  advertiseHost: '127.0.0.1',
  advertisePort: '2377',
  dataPathPort: 4789,
  defaultAddrPool: ['10.0.0.0/8'],
  subnetSize: 4,
  spec: defaultSwarmSpec(),
  availability: 'active',
  engine: { hostname: 'm', engineVersion: 't', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 1 },
  startedAt: '2026-01-01T00:00:00Z',
};
const reason = { code: 'InvalidParameter', kind: 'InvalidParameter' as const, message: 'refused' };

const recorded = (event: MembershipEvent) => recordedEvent(event, { stream: 'membership', time: '2026-01-01T00:00:00Z' });

const started = () => recorded({ type: 'SwarmInitStarted', data: init });
const abandoned = (initId = 'init-1') => recorded({ type: 'SwarmInitAbandoned', data: { initId, clusterId: 'cluster-1', nodeId: 'node-1', reason } });

describe('SwarmInitAbandoned in the projections that read membership', () => {
  it('takes docker info from pending back to inactive (gateway read model)', () => {
    const model = new SwarmReadModel(() => '');
    assert.ok(SwarmReadModel.handles.has('SwarmInitAbandoned'));
    model.apply(started());
    assert.equal(presentSwarmInfo(model).LocalNodeState, 'pending');
    model.apply(abandoned('init-other'));
    assert.equal(presentSwarmInfo(model).LocalNodeState, 'pending', 'another init\'s abandonment changes nothing');
    model.apply(abandoned());
    assert.equal(presentSwarmInfo(model).LocalNodeState, 'inactive');
    assert.equal(model.membership, undefined);
  });

  it('shows no swarm in the audit state after it', () => {
    assert.deepEqual(stateAt([started(), abandoned()]).swarm, null);
  });
});
