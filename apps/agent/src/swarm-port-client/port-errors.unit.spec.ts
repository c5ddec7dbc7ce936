import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DomainError } from '#contracts';
import { dialError, isControlPlaneRefusal, meansNodeRemoved, remoteError } from './port-errors.js';

it('words a refused dial as the Engine does', () => {
  const error = dialError('127.0.0.1:2399', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2399' });
  assert.equal(error.kind, 'Unavailable');
  assert.equal(
    error.message,
    'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:2399: connect: connection refused"',
  );
  assert.match(dialError('127.0.0.1:1', { code: 'ETIMEDOUT', message: 'timeout' }).message, /dial tcp 127\.0\.0\.1:1: i\/o timeout"$/);
});

it('words a server the CA does not vouch for as a failed TLS handshake', () => {
  assert.equal(
    dialError('127.0.0.1:2377', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }).message,
    'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority"',
  );
});

it('keeps the manager\'s message and status, with the matching error kind', () => {
  const rejected = remoteError(400, '{"message":"rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster"}\n');
  assert.ok(rejected instanceof DomainError);
  assert.equal(rejected.kind, 'InvalidParameter');
  assert.equal(rejected.status, 400);
  assert.equal(rejected.message, 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster');
  assert.equal(remoteError(502, 'Bad Gateway\n').message, 'Bad Gateway');
  assert.equal(remoteError(502, 'x').kind, 'System');
});

it('tells a removed node from a passing failure', () => {
  for (const status of [401, 403, 404]) assert.ok(meansNodeRemoved(remoteError(status, '{"message":"x"}')));
  assert.ok(!meansNodeRemoved(remoteError(503, '{"message":"x"}')));
  assert.ok(!meansNodeRemoved(new Error('socket hang up')));
});

it('tells the swarm port\'s refusal from a 403 of the Engine API', () => {
  assert.ok(isControlPlaneRefusal(403, '{"message":"only managers may use the control plane"}\n'));
  assert.ok(!isControlPlaneRefusal(403, '{"message":"invalid pool request: Pool overlaps with other one on this address space"}\n'));
  assert.ok(!isControlPlaneRefusal(200, '{"message":"only managers may use the control plane"}'));
});
