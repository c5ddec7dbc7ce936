import assert from 'node:assert/strict';
import { it } from 'node:test';
import { joinTarget, parseHostPort, sanitizeSwarmAddr } from './remote-address.js';

it('joins through the first remote address, with the Engine\'s defaults for a missing host or port', () => {
  assert.equal(joinTarget(['127.0.0.1:2400', '127.0.0.2:2377']), '127.0.0.1:2400');
  assert.equal(joinTarget(['127.0.0.1']), '127.0.0.1:2377');
  assert.equal(joinTarget(['tcp://127.0.0.1:2401']), '127.0.0.1:2401');
  assert.equal(joinTarget([':2402']), '0.0.0.0:2402');
  assert.equal(joinTarget(['[::1]:2403']), '[::1]:2403');
});

it('needs at least one remote address, and no empty one', () => {
  assert.throws(() => joinTarget([]), (e: Error & { kind?: string }) => e.message === 'at least 1 RemoteAddr is required to join' && e.kind === 'InvalidParameter');
  assert.throws(() => joinTarget(null), /at least 1 RemoteAddr is required to join/);
  assert.throws(() => joinTarget(['127.0.0.1:2377', '']), /^DomainError: invalid remoteAddr "": invalid empty address$/);
  assert.throws(() => sanitizeSwarmAddr('ListenAddr', ''), /invalid ListenAddr "": invalid empty address/);
});

it('keeps what does not parse, as the Engine does', () => {
  assert.equal(sanitizeSwarmAddr('remoteAddr', 'host:port'), 'host:port');
  assert.equal(sanitizeSwarmAddr('remoteAddr', 'a:b:c'), 'a:b:c');
});

it('splits a dialable host:port', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:2377'), { host: '127.0.0.1', port: 2377 });
  assert.deepEqual(parseHostPort('[::1]:2377'), { host: '::1', port: 2377 });
  assert.equal(parseHostPort('127.0.0.1'), undefined);
  assert.equal(parseHostPort('host:port'), undefined);
  assert.equal(parseHostPort('127.0.0.1:70000'), undefined);
});
