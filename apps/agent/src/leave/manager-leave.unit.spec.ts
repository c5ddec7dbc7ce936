import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lenientQueryBool as queryFlag } from '#engine-http';
import { managerLeaveMessage, managerStats } from './manager-leave.js';

const PREFIX = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
const TAIL = 'The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.';

it('words the refusal as the Engine does for 2 of 2 managers (recorded)', () => {
  assert.equal(
    managerLeaveMessage({ selfReachable: true, reachable: 2, unreachable: 0 }),
    `${PREFIX}Removing this node leaves 1 managers out of 2. Without a Raft quorum your swarm will be inaccessible. ${TAIL}`,
  );
});

it('the last manager, a quorum that survives, an unknown count, no control plane', () => {
  assert.equal(
    managerLeaveMessage({ selfReachable: true, reachable: 1, unreachable: 0 }),
    `${PREFIX}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message. `,
  );
  assert.equal(managerLeaveMessage({ selfReachable: true, reachable: 3, unreachable: 0 }), `${PREFIX}${TAIL}`);
  assert.equal(
    managerLeaveMessage({ selfReachable: true, reachable: 3, unreachable: 1 }),
    `${PREFIX}Removing this node leaves 2 managers out of 4. Without a Raft quorum your swarm will be inaccessible. ${TAIL}`,
  );
  assert.equal(managerLeaveMessage({ selfReachable: false, reachable: 2, unreachable: 0 }), `${PREFIX}${TAIL}`);
  assert.equal(managerLeaveMessage(undefined), `${PREFIX}${TAIL}`);
  assert.equal(managerLeaveMessage('no-control'), `${PREFIX}Doing so may lose the consensus of your cluster. ${TAIL}`);
});

it('counts managers by reachability from GET /nodes', () => {
  const nodes = [
    { ID: 'a', ManagerStatus: { Reachability: 'reachable' } },
    { ID: 'b', ManagerStatus: { Reachability: 'unreachable' } },
    { ID: 'c' },
    { ID: 'self', ManagerStatus: { Reachability: 'reachable' } },
  ];
  assert.deepEqual(managerStats(nodes, 'self'), { selfReachable: true, reachable: 2, unreachable: 1 });
  assert.deepEqual(managerStats(nodes, 'c'), { selfReachable: false, reachable: 2, unreachable: 1 });
  assert.equal(managerStats({ message: 'x' }, 'self'), undefined);
});

it("reads force like the Engine's BoolValue", () => {
  for (const on of ['1', 'true', 'True', 'yes', 'x']) assert.ok(queryFlag(on), on);
  for (const off of [undefined, '', '0', 'no', 'FALSE', 'none', ' ']) assert.ok(!queryFlag(off), String(off));
});
