import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAgentArgs } from './agent-options.js';

it('reads --port and --data, loopback by default', () => {
  assert.deepEqual(parseAgentArgs(['--port', '2385', '--data', '/tmp/a']), { host: '127.0.0.1', port: 2385, dataDir: '/tmp/a', hostname: undefined, joinTimeoutMs: 10_000 });
  assert.deepEqual(parseAgentArgs(['--port=2386', '--data=/tmp/b', '--hostname', 'worker-1']), {
    host: '127.0.0.1',
    port: 2386,
    dataDir: '/tmp/b',
    hostname: 'worker-1',
    joinTimeoutMs: 10_000,
  });
  assert.equal(parseAgentArgs(['--port', '1', '--data', '/d', '--join-timeout', '0.5']).joinTimeoutMs, 500);
});

it('refuses missing, unknown and malformed arguments with the usage', () => {
  assert.throws(() => parseAgentArgs(['--port', '2385']), /^Error: usage: agent --port/);
  assert.throws(() => parseAgentArgs(['--data', '/tmp/a']), /usage: agent/);
  assert.throws(() => parseAgentArgs(['--port', '0', '--data', '/tmp/a']), /invalid --port 0/);
  assert.throws(() => parseAgentArgs(['--port', 'x', '--data', '/tmp/a']), /invalid --port x/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data']), /--data needs a value/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--verbose']), /unknown argument --verbose/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--join-timeout', '-1']), /invalid --join-timeout -1/);
});

it('refuses a --hostname the manager would refuse in the join (not a host name, or longer than 253)', () => {
  for (const name of ['a b', 'bad..name', '-x', 'x'.repeat(64), `${'a.'.repeat(127)}ab`]) {
    assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--hostname', name]), /^Error: invalid --hostname/, name);
  }
  assert.equal(parseAgentArgs(['--port', '2385', '--data', '/d', '--hostname', 'node_7.lab-2']).hostname, 'node_7.lab-2');
});
