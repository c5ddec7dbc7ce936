import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseNodeState, sameManagers } from './node-state.js';

const valid = {
  version: 1,
  nodeId: 'n1',
  clusterId: 'c1',
  role: 'worker',
  nodeAddr: '127.0.0.1',
  remoteAddr: '127.0.0.1:2377',
  managers: [{ NodeID: 'm1', Addr: '127.0.0.1:2377' }],
  heartbeatPeriodMs: 5000,
  certGeneration: 3,
};

it('reads a valid state', () => {
  assert.deepEqual(parseNodeState(valid), valid);
});

it('names what is wrong in a state file', () => {
  assert.throws(() => parseNodeState(null), /not a JSON object/);
  assert.throws(() => parseNodeState({ ...valid, version: 2 }), /unknown version 2/);
  assert.throws(() => parseNodeState({ ...valid, role: 'boss' }), /role boss is neither manager nor worker/);
  assert.throws(() => parseNodeState({ ...valid, certGeneration: 0 }), /certGeneration is not a positive integer/);
  assert.throws(() => parseNodeState({ ...valid, managers: [{ NodeID: 'm1' }] }), /managers holds an entry without NodeID and Addr/);
});

it('compares manager lists in order', () => {
  const a = [{ NodeID: 'm1', Addr: 'x:1' }];
  assert.ok(sameManagers(a, [{ NodeID: 'm1', Addr: 'x:1' }]));
  assert.ok(!sameManagers(a, [{ NodeID: 'm1', Addr: 'x:2' }]));
  assert.ok(!sameManagers(a, []));
});
