import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NetworkInterfaceInfo } from 'node:os';
import { DomainError } from '#contracts';
import { planJoin } from './join-request.js';
import { nodeAddress } from './node-address.js';

const TOKEN = 'SWMTKN-1-4jzuuxs0p0x6akfgfr08d6n935rwlyfeyd89ohgeelnr3gx5zs-0aifd1hbb75bwxub8v6oy8kac';
const body = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '', DataPathAddr: '', RemoteAddrs: ['127.0.0.1:2377'], JoinToken: TOKEN, Availability: '', ...over });
const failsWith = (status: string, message: string) => (e: unknown) => e instanceof DomainError && e.kind === status && e.message === message;

it('plans a join: target, digest claimed by the token, availability, advertise address', () => {
  const plan = planJoin(body({ RemoteAddrs: ['127.0.0.1'], Availability: 'DRAIN', AdvertiseAddr: '127.0.0.2' }));
  assert.equal(plan.remoteAddr, '127.0.0.1:2377');
  assert.equal(plan.token?.text, TOKEN);
  assert.match(plan.token?.caDigestHex ?? '', /^[0-9a-f]{64}$/);
  assert.equal(plan.availability, 'drain');
  assert.equal(plan.advertiseAddr, '127.0.0.2');
  assert.equal(planJoin(body({ JoinToken: '' })).token, undefined);
});

it("refuses in the Engine's order with its texts and statuses", () => {
  assert.throws(() => planJoin(''), failsWith('InvalidParameter', 'got EOF while reading request body'));
  assert.throws(() => planJoin(body({ RemoteAddrs: [], JoinToken: 'x' })), failsWith('InvalidParameter', 'at least 1 RemoteAddr is required to join'));
  assert.throws(() => planJoin(body({ RemoteAddrs: null })), failsWith('InvalidParameter', 'at least 1 RemoteAddr is required to join'));
  assert.throws(() => planJoin(body({ ListenAddr: '' })), failsWith('InvalidParameter', 'invalid ListenAddr "": invalid empty address'));
  assert.throws(() => planJoin(body({ Availability: 'bogus', JoinToken: 'x' })), failsWith('System', 'invalid Availability: "bogus"'));
  for (const token of ['SWMTKN-1-abc', 'notatoken', `${TOKEN}x`, TOKEN.replace('SWMTKN-1', 'SWMTKN-2')]) {
    assert.throws(() => planJoin(body({ JoinToken: token })), failsWith('System', 'invalid join token'), token);
  }
});

it('NodeAddr: the advertised IP, an interface address, or what the manager saw', () => {
  const interfaces = { lo: [{ family: 'IPv4', address: '127.0.0.1' } as NetworkInterfaceInfo] };
  assert.equal(nodeAddress('127.0.0.2', interfaces, '127.0.0.1'), '127.0.0.2');
  assert.equal(nodeAddress('127.0.0.2:2377', interfaces, '127.0.0.1'), '127.0.0.2');
  assert.equal(nodeAddress('lo', interfaces, '10.0.0.9'), '127.0.0.1');
  assert.equal(nodeAddress('nosuch0', interfaces, '127.0.0.1'), '127.0.0.1');
  assert.equal(nodeAddress(undefined, interfaces, '127.0.0.1'), '127.0.0.1');
});
