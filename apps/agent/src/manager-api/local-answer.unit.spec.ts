import assert from 'node:assert/strict';
import { it } from 'node:test';
import { localAnswer } from './local-answer.js';

const WORKER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
const NOT_JOINED = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const message = (answer: ReturnType<typeof localAnswer>): string | undefined => (answer.kind === 'error' ? answer.error.message : undefined);

it('a worker answers every manager-only call with the Engine\'s 503', () => {
  const calls = [
    ['GET', '/swarm'],
    ['POST', '/swarm/update'],
    ['GET', '/swarm/unlockkey'],
    ['GET', '/nodes'],
    ['GET', '/nodes/abc'],
    ['POST', '/nodes/abc/update'],
    ['DELETE', '/nodes/abc'],
    ['GET', '/services'],
    ['POST', '/secrets/create'],
  ] as const;
  for (const [method, path] of calls) {
    const answer = localAnswer(method, path, 'worker');
    assert.equal(message(answer), WORKER, `${method} ${path}`);
    assert.equal(answer.kind === 'error' && answer.error.kind, 'Unavailable');
    assert.equal(message(localAnswer(method, path, 'not-joined')), NOT_JOINED, `${method} ${path}`);
  }
});

it('networks: an empty list, network create refused (403 on a worker), no such network', () => {
  assert.deepEqual(localAnswer('GET', '/networks', 'worker'), { kind: 'json', body: [] });
  const create = localAnswer('POST', '/networks/create', 'worker');
  assert.equal(create.kind === 'error' && create.error.kind, 'Forbidden');
  assert.equal(message(create), 'Cannot create a multi-host network from a worker node. Please create the network from a manager node.');
  assert.equal(message(localAnswer('POST', '/networks/create', 'not-joined')), NOT_JOINED);
  assert.equal(message(localAnswer('GET', '/networks/ingress', 'worker')), 'network ingress not found');
  assert.deepEqual(localAnswer('POST', '/networks/prune', 'not-joined'), { kind: 'json', body: { NetworksDeleted: null } });
});

it('swarm init: already in a swarm on a worker; an agent outside a swarm cannot create one', () => {
  assert.match(message(localAnswer('POST', '/swarm/init', 'worker')) ?? '', /^This node is already part of a swarm/);
  assert.match(message(localAnswer('POST', '/swarm/init', 'not-joined')) ?? '', /cannot create one/);
});

it('unknown routes and methods are unknown, as on the Engine', () => {
  assert.deepEqual(localAnswer('DELETE', '/swarm', 'worker'), { kind: 'page-not-found' });
  assert.deepEqual(localAnswer('GET', '/nosuch', 'not-joined'), { kind: 'page-not-found' });
  assert.deepEqual(localAnswer('PUT', '/swarm/init', 'worker'), { kind: 'page-not-found' });
});
