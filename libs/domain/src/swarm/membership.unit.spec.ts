import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, defaultSwarmSpec, type ErrorPayload, type EventData, type MembershipEvent } from '#contracts';
import {
  decideMembership,
  evolveMembership,
  initialMembership,
  type Membership,
  type MembershipCommand,
} from './membership.js';

const init: EventData<'SwarmInitStarted'> = {
  initId: 'init-1',
  clusterId: 'cluster-1',
  nodeId: 'node-1',
  ingressNetworkId: 'ingress-1',
  listenAddr: '0.0.0.0:2377',
  advertiseHost: '192.0.2.2',
  advertisePort: '2377',
  dataPathPort: 4789,
  defaultAddrPool: null,
  subnetSize: 24,
  spec: defaultSwarmSpec(),
  availability: 'active',
  engine: {
    hostname: 'manager-1',
    engineVersion: '28.3.0',
    architecture: 'x86_64',
    os: 'linux',
    nanoCpus: 2_000_000_000,
    memoryBytes: 4 * 1024 ** 3,
  },
  startedAt: '2026-01-01T00:00:00.000Z',
};

const started: MembershipEvent = { type: 'SwarmInitStarted', data: init };
const completed: MembershipEvent = { type: 'SwarmInitCompleted', data: { initId: 'init-1', clusterId: 'cluster-1', nodeId: 'node-1' } };
const refusal: ErrorPayload = { code: 'InvalidParameter', kind: 'InvalidParameter', message: 'invalid subnet size 4 for pool 10.0.0.0/8' };
const abandoned: MembershipEvent = { type: 'SwarmInitAbandoned', data: { initId: 'init-1', clusterId: 'cluster-1', nodeId: 'node-1', reason: refusal } };
const left: MembershipEvent = { type: 'SwarmLeft', data: { clusterId: 'cluster-1', nodeId: 'node-1', force: true } };

const replay = (events: readonly MembershipEvent[]): Membership => events.reduce(evolveMembership, initialMembership);

/** Given events, When command, Then events. */
function thenEvents(given: readonly MembershipEvent[], when: MembershipCommand, expected: readonly MembershipEvent[]): void {
  assert.deepEqual(decideMembership(when, replay(given)), expected);
}

/** Given events, When command, Then a DomainError. */
function thenError(given: readonly MembershipEvent[], when: MembershipCommand, expected: ErrorPayload): void {
  assert.throws(
    () => decideMembership(when, replay(given)),
    (error: unknown) => {
      assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
      assert.deepEqual(error.toPayload(), expected);
      return true;
    },
  );
}

const ALREADY_IN_SWARM: ErrorPayload = {
  code: 'AlreadyInSwarm',
  kind: 'Unavailable',
  message: 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
};

describe('decideMembership', () => {
  describe('StartSwarmInit', () => {
    it('starts an init on an inactive node', () => {
      thenEvents([], { type: 'StartSwarmInit', init }, [started]);
    });

    it('starts again after the node left', () => {
      const again = { ...init, initId: 'init-2', clusterId: 'cluster-2' };
      thenEvents([started, completed, left], { type: 'StartSwarmInit', init: again }, [{ type: 'SwarmInitStarted', data: again }]);
    });

    it('refuses while an init is in progress', () => {
      thenError([started], { type: 'StartSwarmInit', init: { ...init, initId: 'init-2' } }, ALREADY_IN_SWARM);
    });

    it('refuses on an active node', () => {
      thenError([started, completed], { type: 'StartSwarmInit', init: { ...init, initId: 'init-2' } }, ALREADY_IN_SWARM);
    });
  });

  describe('CompleteSwarmInit', () => {
    it('completes the init in progress', () => {
      thenEvents([started], { type: 'CompleteSwarmInit', initId: 'init-1' }, [completed]);
    });

    it('ignores another init', () => {
      thenEvents([started], { type: 'CompleteSwarmInit', initId: 'init-other' }, []);
    });

    it('ignores a completed init', () => {
      thenEvents([started, completed], { type: 'CompleteSwarmInit', initId: 'init-1' }, []);
    });

    it('ignores an inactive node', () => {
      thenEvents([], { type: 'CompleteSwarmInit', initId: 'init-1' }, []);
      thenEvents([started, completed, left], { type: 'CompleteSwarmInit', initId: 'init-1' }, []);
    });
  });

  describe('AbandonSwarmInit', () => {
    it('abandons the init in progress, with the refusal that ended it', () => {
      thenEvents([started], { type: 'AbandonSwarmInit', initId: 'init-1', reason: refusal }, [abandoned]);
    });

    it('leaves a completed, another, an abandoned or no init as it is', () => {
      thenEvents([started, completed], { type: 'AbandonSwarmInit', initId: 'init-1', reason: refusal }, []);
      thenEvents([started], { type: 'AbandonSwarmInit', initId: 'init-other', reason: refusal }, []);
      thenEvents([started, abandoned], { type: 'AbandonSwarmInit', initId: 'init-1', reason: refusal }, []);
      thenEvents([], { type: 'AbandonSwarmInit', initId: 'init-1', reason: refusal }, []);
    });

    it('lets a new init start and does not let the abandoned one complete', () => {
      const again = { ...init, initId: 'init-2', clusterId: 'cluster-2' };
      thenEvents([started, abandoned], { type: 'StartSwarmInit', init: again }, [{ type: 'SwarmInitStarted', data: again }]);
      thenEvents([started, abandoned], { type: 'CompleteSwarmInit', initId: 'init-1' }, []);
    });
  });

  describe('LeaveSwarm', () => {
    it('refuses on an inactive node', () => {
      thenError([], { type: 'LeaveSwarm', force: false }, {
        code: 'NotPartOfSwarm',
        kind: 'Unavailable',
        message: 'This node is not part of a swarm',
      });
      thenError([], { type: 'LeaveSwarm', force: true }, {
        code: 'NotPartOfSwarm',
        kind: 'Unavailable',
        message: 'This node is not part of a swarm',
      });
    });

    it('refuses the last manager without force, with the trailing space of Docker\'s message', () => {
      const expected: ErrorPayload = {
        code: 'LeaveLastManager',
        kind: 'Unavailable',
        message:
          'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ',
      };
      thenError([started, completed], { type: 'LeaveSwarm', force: false }, expected);
      assert.ok(expected.message.endsWith('message. '));
    });

    it('leaves with force', () => {
      thenEvents([started, completed], { type: 'LeaveSwarm', force: true }, [left]);
    });

    it('leaves with force while an init is in progress', () => {
      thenEvents([started], { type: 'LeaveSwarm', force: true }, [left]);
    });
  });
});

describe('evolveMembership', () => {
  it('starts inactive', () => {
    assert.deepEqual(replay([]), { status: 'inactive' });
  });

  it('is initializing after a started init', () => {
    assert.deepEqual(replay([started]), { status: 'initializing', init });
  });

  it('is active after the init completed', () => {
    assert.deepEqual(replay([started, completed]), { status: 'active', init });
  });

  it('returns to inactive after leaving', () => {
    assert.deepEqual(replay([started, completed, left]), { status: 'inactive' });
    assert.deepEqual(replay([started, left]), { status: 'inactive' });
  });

  it('returns to inactive after an abandoned init, and ignores an abandonment of another init', () => {
    assert.deepEqual(replay([started, abandoned]), { status: 'inactive' });
    const other: MembershipEvent = { type: 'SwarmInitAbandoned', data: { initId: 'init-0', clusterId: 'cluster-1', nodeId: 'node-1', reason: refusal } };
    assert.deepEqual(replay([started, other]), { status: 'initializing', init });
    assert.deepEqual(replay([started, completed, abandoned]), { status: 'active', init });
  });

  it('ignores a completion without a started init', () => {
    assert.deepEqual(replay([completed]), { status: 'inactive' });
    assert.deepEqual(replay([started, completed, completed]), { status: 'active', init });
  });
});
