import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAgentArgs } from './agent-options.js';

it('listens on <data>/docker.sock by default, as dockerd on its socket', () => {
  assert.deepEqual(parseAgentArgs(['--data', '/tmp/a']), { listen: { kind: 'unix', path: '/tmp/a/docker.sock' }, dataDir: '/tmp/a', hostname: undefined, joinTimeoutMs: 10_000 });
  assert.deepEqual(parseAgentArgs(['--data=/tmp/b', '--socket', '/tmp/s/agent.sock']).listen, { kind: 'unix', path: '/tmp/s/agent.sock' });
});

it('reads --port (loopback by default), --hostname and --join-timeout', () => {
  assert.deepEqual(parseAgentArgs(['--port', '2385', '--data', '/tmp/a']), {
    listen: { kind: 'tcp', host: '127.0.0.1', port: 2385, tls: undefined },
    dataDir: '/tmp/a',
    hostname: undefined,
    joinTimeoutMs: 10_000,
  });
  const options = parseAgentArgs(['--port=2386', '--data=/tmp/b', '--hostname', 'worker-1', '--host', '::1']);
  assert.deepEqual(options.listen, { kind: 'tcp', host: '::1', port: 2386, tls: undefined });
  assert.equal(options.hostname, 'worker-1');
  assert.equal(parseAgentArgs(['--port', '1', '--data', '/d', '--join-timeout', '0.5']).joinTimeoutMs, 500);
});

it('TCP beyond loopback only with the three TLS files (client certificates required)', () => {
  assert.throws(() => parseAgentArgs(['--port', '2385', '--host', '0.0.0.0', '--data', '/d']), /refusing to serve the Engine API without TLS on 0\.0\.0\.0, which is not a loopback address/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--host', '192.0.2.7', '--data', '/d']), /--tlscacert, --tlscert and --tlskey/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--host', '192.0.2.7', '--data', '/d', '--tlscacert', '/c/ca.pem']), /missing: --tlscert, --tlskey/);
  const tls = ['--tlscacert', '/c/ca.pem', '--tlscert', '/c/cert.pem', '--tlskey', '/c/key.pem'];
  assert.deepEqual(parseAgentArgs(['--port', '2385', '--host', '192.0.2.7', '--data', '/d', ...tls]).listen, {
    kind: 'tcp',
    host: '192.0.2.7',
    port: 2385,
    tls: { ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' },
  });
  assert.throws(() => parseAgentArgs(['--data', '/d', ...tls]), /applies to a TCP address, not to a unix socket/);
});

it('refuses missing, unknown and malformed arguments with the usage', () => {
  assert.throws(() => parseAgentArgs(['--port', '2385']), /^Error: usage: agent --data/);
  assert.throws(() => parseAgentArgs(['--port', '0', '--data', '/tmp/a']), /invalid --port 0/);
  assert.throws(() => parseAgentArgs(['--port', 'x', '--data', '/tmp/a']), /invalid --port x/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data']), /--data needs a value/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--verbose']), /unknown argument --verbose/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--join-timeout', '-1']), /invalid --join-timeout -1/);
  assert.throws(() => parseAgentArgs(['--port', '2385', '--socket', '/s', '--data', '/d']), /--port and --socket exclude each other/);
  assert.throws(() => parseAgentArgs(['--host', '127.0.0.1', '--data', '/d']), /--host needs --port/);
});

it('refuses a --hostname the manager would refuse in the join (not a host name, or longer than 253)', () => {
  for (const name of ['a b', 'bad..name', '-x', 'x'.repeat(64), `${'a.'.repeat(127)}ab`]) {
    assert.throws(() => parseAgentArgs(['--port', '2385', '--data', '/d', '--hostname', name]), /^Error: invalid --hostname/, name);
  }
  assert.equal(parseAgentArgs(['--port', '2385', '--data', '/d', '--hostname', 'node_7.lab-2']).hostname, 'node_7.lab-2');
});
