import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NodeIdentity } from '../identity-store/identity-store.js';
import { joinedSwarmInfo, managerInfo, notJoinedSwarmInfo, pingSwarmHeader, presentInfo } from './info.presenter.js';

const identity = {
  nodeId: 'node2',
  clusterId: 'c1',
  role: 'worker',
  nodeAddr: '127.0.0.2',
  remoteAddr: '127.0.0.1:2377',
  managers: [{ NodeID: 'mgr1', Addr: '127.0.0.1:2377' }],
  heartbeatPeriodMs: 5000,
  caPem: '',
  keyPem: '',
  certPem: '',
} satisfies NodeIdentity;

it("matches the Engine's Swarm sections, key for key (recorded)", () => {
  assert.equal(
    JSON.stringify(notJoinedSwarmInfo('inactive')),
    '{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}',
  );
  assert.equal(
    JSON.stringify(joinedSwarmInfo(identity)),
    '{"NodeID":"node2","NodeAddr":"127.0.0.2","LocalNodeState":"active","ControlAvailable":false,"Error":"","RemoteManagers":[{"NodeID":"mgr1","Addr":"127.0.0.1:2377"}]}',
  );
});

it('the ping header tells inactive, pending and the role', () => {
  assert.equal(pingSwarmHeader('inactive', undefined), 'inactive');
  assert.equal(pingSwarmHeader('pending', undefined), 'pending');
  assert.equal(pingSwarmHeader('active', identity), 'active/worker');
  assert.equal(pingSwarmHeader('active', { ...identity, role: 'manager' }), 'active/manager');
});

it("a manager agent's info is the control plane's, with this machine's facts and this node's identity", () => {
  const engine = { hostname: 'agent-2', engineVersion: 'x', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 1024 };
  const local = presentInfo(engine, 'AAAA', {});
  const controlPlane = {
    ...presentInfo({ ...engine, hostname: 'gateway-host' }, 'BBBB', {}),
    Swarm: { NodeID: 'mgr1', NodeAddr: '127.0.0.1', LocalNodeState: 'active', ControlAvailable: true, Error: '', RemoteManagers: [], Nodes: 2, Managers: 2, Cluster: { ID: 'c1' } },
  };
  const info = managerInfo(controlPlane, local, { ...identity, role: 'manager' });
  assert.equal(info.Name, 'agent-2');
  assert.equal(info.ID, 'AAAA');
  assert.deepEqual(info.Swarm, {
    NodeID: 'node2',
    NodeAddr: '127.0.0.2',
    LocalNodeState: 'active',
    ControlAvailable: true,
    Error: '',
    RemoteManagers: [],
    Nodes: 2,
    Managers: 2,
    Cluster: { ID: 'c1' },
  });
});
