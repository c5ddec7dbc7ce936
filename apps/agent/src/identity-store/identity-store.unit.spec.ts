import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { DomainError } from '#contracts';
import { IdentityStore } from './identity-store.js';
import { TestCa } from './identity.test-helper.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'agent-identity-'));
after(() => rmSync(root, { recursive: true, force: true }));
const ca = new TestCa();
let n = 0;
const storeIn = (dir = path.join(root, `d${++n}`)): IdentityStore => new IdentityStore({ dataDir: dir, listen: { kind: 'unix', path: path.join(dir, 'docker.sock') }, hostname: undefined, joinTimeoutMs: 10_000 });
const dirOf = (): string => path.join(root, `d${n}`);
const mode = (file: string): number => statSync(file).mode & 0o777;

it('keeps the identity in a 0700 dir with 0600 files, and reads it back after a restart', () => {
  const store = storeIn();
  assert.equal(store.localNodeState, 'inactive');
  const identity = ca.identity('node1', 'worker');
  store.saveJoined(identity);
  const dir = dirOf();
  assert.equal(mode(dir), 0o700);
  assert.deepEqual(readdirSync(dir).sort(), ['swarm-node-1.crt', 'swarm-node-1.key', 'swarm-root-ca.crt', 'swarm-state.json']);
  for (const file of readdirSync(dir)) assert.equal(mode(path.join(dir, file)), 0o600, file);
  const state = JSON.parse(readFileSync(path.join(dir, 'swarm-state.json'), 'utf8'));
  assert.deepEqual(Object.keys(state).sort(), ['certGeneration', 'clusterId', 'heartbeatPeriodMs', 'managers', 'nodeAddr', 'nodeId', 'remoteAddr', 'role', 'version']);
  assert.equal(state.role, 'worker');
  const reloaded = storeIn(dir);
  assert.deepEqual(reloaded.identity, identity);
  assert.equal(reloaded.localNodeState, 'active');
});

it('takes the role from the certificate, and a renewal replaces key and certificate together', () => {
  const store = storeIn();
  const identity = ca.identity('node2', 'worker');
  store.saveJoined(identity);
  const renewed = ca.issue('node2', 'manager');
  assert.equal(store.replaceCertificate('other', renewed.keyPem, renewed.certPem), undefined);
  const replaced = store.replaceCertificate('node2', renewed.keyPem, renewed.certPem);
  assert.equal(replaced?.role, 'manager');
  assert.deepEqual(readdirSync(dirOf()).sort(), ['swarm-node-2.crt', 'swarm-node-2.key', 'swarm-root-ca.crt', 'swarm-state.json']);
  assert.deepEqual(storeIn(dirOf()).identity, { ...identity, ...renewed, role: 'manager' });
});

it('a crash before the state was rewritten leaves the previous identity, and the orphans go', () => {
  const store = storeIn();
  const identity = ca.identity('node3', 'worker');
  store.saveJoined(identity);
  writeFileSync(path.join(dirOf(), 'swarm-node-2.key'), 'half', { mode: 0o600 });
  writeFileSync(path.join(dirOf(), 'swarm-state.json.tmp'), '{', { mode: 0o600 });
  assert.deepEqual(storeIn(dirOf()).identity, identity);
  assert.deepEqual(readdirSync(dirOf()).sort(), ['swarm-node-1.crt', 'swarm-node-1.key', 'swarm-root-ca.crt', 'swarm-state.json']);
});

it('records heartbeat news only when it changed; leave forgets everything', () => {
  const store = storeIn();
  store.saveJoined(ca.identity('node4', 'worker'));
  const stateFile = path.join(dirOf(), 'swarm-state.json');
  const before = statSync(stateFile).mtimeMs;
  store.recordHeartbeat('node4', [{ NodeID: 'mgr1', Addr: '127.0.0.1:2377' }], 5000);
  assert.equal(statSync(stateFile).mtimeMs, before);
  store.recordHeartbeat('node4', [{ NodeID: 'mgr1', Addr: '127.0.0.1:2377' }, { NodeID: 'mgr2', Addr: '127.0.0.1:2378' }], 1000);
  assert.equal(storeIn(dirOf()).identity?.heartbeatPeriodMs, 1000);
  store.clear();
  assert.equal(store.identity, undefined);
  assert.deepEqual(readdirSync(dirOf()), []);
});

it('one join at a time, none once joined', () => {
  const store = storeIn();
  store.beginJoin();
  assert.equal(store.localNodeState, 'pending');
  assert.throws(() => store.beginJoin(), (e: unknown) => e instanceof DomainError && e.code === 'AlreadyInSwarm');
  store.endJoin();
  store.saveJoined(ca.identity('node5', 'worker'));
  assert.throws(() => store.beginJoin(), /already part of a swarm/);
});

it('refuses to start on a state file it cannot read', () => {
  storeIn();
  writeFileSync(path.join(dirOf(), 'swarm-state.json'), '{"version":1,"nodeId":""}');
  assert.throws(() => storeIn(dirOf()), /the node identity in .* cannot be read \(nodeId is not a non-empty string\)/);
});

it('creates the data dir 0700, and refuses one that others may enter', () => {
  const open = path.join(root, 'shared');
  mkdirSync(open, { mode: 0o755 });
  chmodSync(open, 0o755);
  assert.throws(() => storeIn(open), /the data dir .*shared is open to other users \(mode 0755\)/);
  assert.equal(mode(open), 0o755, 'left as it was');
  const nested = path.join(root, 'new', 'agent-1');
  storeIn(nested);
  assert.equal(mode(nested), 0o700);
});
