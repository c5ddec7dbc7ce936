import assert from 'node:assert/strict';
import { it } from 'node:test';
import { remoteError } from '../swarm-port-client/port-errors.js';
import { HeartbeatLog } from './heartbeat-log.js';

it('logs the start of a failure, a change of failure and the recovery, once each', () => {
  const log = new HeartbeatLog();
  assert.equal(log.succeeded(), undefined);
  assert.equal(log.failed('heartbeat', new Error('connect refused')), 'heartbeat failed: connect refused');
  assert.equal(log.failed('heartbeat', new Error('connect refused')), undefined);
  const removed = log.failed('heartbeat', remoteError(403, '{"message":"a valid node certificate of this swarm is required"}'));
  assert.match(removed ?? '', /^heartbeat refused \(a valid node certificate of this swarm is required\): the manager no longer knows this node/);
  assert.equal(log.succeeded(), 'heartbeats reach the manager again');
  assert.equal(log.succeeded(), undefined);
});
