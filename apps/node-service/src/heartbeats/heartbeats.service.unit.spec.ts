import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Recorded } from '#eventstore';
import { nodeRegisteredData, recordedEvent } from '#testing';
import type { ClusterNodesEvent } from '../projections/cluster-nodes.projection.js';
import type { ClusterNodesService } from '../projections/cluster-nodes.service.js';
import { HeartbeatsService } from './heartbeats.service.js';

const PERIOD = 1000;
const GRACE = 3 * PERIOD;

/**
 * node-service's projection as the heartbeats see it (a stand-in for ClusterNodesService, which
 * needs a store): nodes by ID with their state, and `execute` recording the transitions asked for.
 */
function nodesOf(ids: string[]) {
  const nodes = new Map(ids.map((id) => [id, { node: { exists: true, removed: false, state: 'ready', registered: { clusterId: 'c1' } } }]));
  const listeners: ((event: Recorded<ClusterNodesEvent>) => void)[] = [];
  const downs: string[] = [];
  let failures = 0;
  const fake = {
    state: { clusterId: 'c1', localNodeId: 'manager', heartbeatPeriodMs: PERIOD, nodes },
    onEvent: (listener: (event: Recorded<ClusterNodesEvent>) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
    execute: async (nodeId: string, command: { state: string }) => {
      if (failures > 0) {
        failures--;
        throw new Error('NATS unavailable');
      }
      if (command.state === 'down') downs.push(nodeId);
      nodes.get(nodeId)!.node.state = command.state;
      return { events: [], position: 0 };
    },
  };
  return {
    service: new HeartbeatsService(fake as unknown as ClusterNodesService),
    downs,
    register: (id: string) => {
      nodes.set(id, { node: { exists: true, removed: false, state: 'ready', registered: { clusterId: 'c1' } } });
      for (const l of listeners) l(recordedEvent({ type: 'NodeRegistered', data: nodeRegisteredData({ nodeId: id }) }));
    },
    failNext: (n: number) => void (failures = n),
  };
}

describe('HeartbeatsService sweep', () => {
  it('marks down the nodes known at start once the grace period has passed, not before', async () => {
    const t0 = Date.now();
    const { service, downs } = nodesOf(['a', 'b', 'manager']);
    await service.sweep(t0 + GRACE - 100);
    assert.deepEqual(downs, []);
    await service.sweep(t0 + GRACE + 100);
    assert.deepEqual(downs.sort(), ['a', 'b'], 'the manager itself is never marked down');
    await service.sweep(t0 + 10 * GRACE);
    assert.deepEqual(downs.sort(), ['a', 'b'], 'once each');
  });

  it('counts from the last heartbeat, and from its registration for a node that joined later', async () => {
    const { service, downs, register } = nodesOf(['a', 'b']);
    service.onModuleInit();
    try {
      await service.sweep(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
      await service.heartbeat({ nodeId: 'a', at: Date.now() });
      register('late');
      const later = Date.now();
      // b was last seen at the start; a and late 20 ms later.
      await service.sweep(later + GRACE - 10);
      assert.deepEqual(downs, ['b']);
      await service.sweep(later + GRACE + 10);
      assert.deepEqual(downs.sort(), ['a', 'b', 'late']);
    } finally {
      service.onApplicationShutdown();
    }
  });

  it('brings a node that was down back when it heartbeats, and watches it again', async () => {
    const { service, downs } = nodesOf(['a']);
    const t0 = Date.now(); // after the service's start, as below
    await service.sweep(t0 + GRACE + 1);
    assert.deepEqual(downs, ['a']);
    await service.heartbeat({ nodeId: 'a', at: Date.now() });
    const back = Date.now();
    await service.sweep(back + GRACE - 10);
    assert.deepEqual(downs, ['a']);
    await service.sweep(back + GRACE + 10);
    assert.deepEqual(downs, ['a', 'a']);
  });

  it('tries again at the next sweep when the transition could not be recorded', async () => {
    const { service, downs, failNext } = nodesOf(['a', 'b']);
    // After the service's start (its clock for nodes known at start): the margins below are 1-2 ms.
    const t0 = Date.now();
    failNext(2);
    await service.sweep(t0 + GRACE + 1);
    assert.deepEqual(downs, []);
    await service.sweep(t0 + GRACE + 2);
    assert.deepEqual(downs.sort(), ['a', 'b']);
  });

  it('does not mark down a node that heartbeats while the sweep is retrying it', async () => {
    const { service, downs, failNext } = nodesOf(['a']);
    const t0 = Date.now(); // after the service's start, as above
    failNext(1);
    await service.sweep(t0 + GRACE + 1);
    await service.heartbeat({ nodeId: 'a', at: Date.now() });
    await service.sweep(Date.now() + GRACE - 10);
    assert.deepEqual(downs, []);
  });
});
