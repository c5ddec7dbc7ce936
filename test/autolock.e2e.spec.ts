import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, startNatsServer, type NatsServerHandle } from '#testing';
import { loadOrCreateKekFile, openSealedKek } from '#pki';
import { startStack, type RunningStack } from '../scripts/stack.js';
import { mask, runDocker, type CliResult } from './support/stack-fixture.js';
import { engineRequest } from './support/engine-request.js';

/** What the Engine prints after the key (B-001, B-002): a key block, then the advice. */
const keyBlock = (key: string): string =>
  'To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n' +
  `    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`;
const LOCKED = 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.';
const UNLOCK_KEY = /^SWMKEY-1-[A-Za-z0-9+/]{43}$/;

/**
 * Autolock with the real CLI, across a restart of the whole stack (nats-server on the same store,
 * every service and the gateway on the same data dir), compared with ../shared/reference/pki/B-autolock.
 * After each step the raw store, the data dir and the logs are scanned for every secret known so far.
 */
describe('autolock: the key-encryption key sealed under the unlock key, across a restart of the whole stack', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-autolock-'));
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-autolock-nats-'));
  const socket = path.join(dataDir, 'docker.sock');
  const dockerHost = `unix://${socket}`;
  let natsPort = 0;
  let swarmPort = 0;
  let nats: NatsServerHandle | undefined;
  let stack: RunningStack | undefined;
  const secrets = new Map<string, string>();
  const docker = (...args: string[]): Promise<CliResult> => runDocker(dockerHost, args);
  const dockerIn = (input: string, ...args: string[]): Promise<CliResult> => runDocker(dockerHost, args, input);
  const api = (method: string, url: string, body?: unknown) => engineRequest(dockerHost, method, url, body);

  async function up(): Promise<void> {
    nats = await startNatsServer({ jetstream: true, at: { port: natsPort, storeDir } });
    stack = await startStack({
      natsUrl: nats.url,
      dataDir,
      gatewayAddr: dockerHost,
      logDir: path.join(dataDir, 'logs'),
      env: { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1' },
    });
  }

  async function down(): Promise<void> {
    await stack?.stop();
    await nats?.stop();
    stack = undefined;
    nats = undefined;
  }

  /** No secret known so far appears in any file of the data dir (KEK file, logs) or of the JetStream store. */
  function assertNoSecretOnDisk(step: string): void {
    for (const file of filesUnder(dataDir).concat(filesUnder(storeDir))) {
      if (file.endsWith('docker.sock')) continue;
      const bytes = readFileSync(file);
      for (const [name, secret] of secrets) {
        assert.ok(!bytes.includes(secret), `${step}: ${name} found in ${path.relative(os.tmpdir(), file)}`);
      }
    }
  }

  before(async () => {
    natsPort = await freePort();
    swarmPort = await freePort();
    await up();
  });

  after(async () => {
    await down();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('swarm init --autolock prints the init text and the key block; unlock-key, -q, the API and docker info agree', async () => {
    const kekFile = path.join(dataDir, 'kek');
    const kekBefore = loadOrCreateKekFile(kekFile);
    assert.ok(!kekBefore.sealed);
    secrets.set('the KEK (hex)', kekBefore.kek.toString('hex'));
    const init = await docker('swarm', 'init', '--autolock', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${swarmPort}`);
    assert.equal(init.code, 0, init.stderr);
    const key = /\n {4}(SWMKEY-1-\S+)\n/.exec(init.stdout)?.[1] ?? '';
    assert.match(key, UNLOCK_KEY);
    assert.equal(
      mask(init.stdout),
      'Swarm initialized: current node (<ID>) is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n' +
        `    docker swarm join --token SWMTKN-1-<DIGEST>-<SECRET> 127.0.0.1:${swarmPort}\n\n` +
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n" +
        keyBlock(key),
    );
    assert.deepEqual(await docker('swarm', 'unlock-key'), { stdout: keyBlock(key), stderr: '', code: 0 });
    assert.deepEqual(await docker('swarm', 'unlock-key', '-q'), { stdout: `${key}\n`, stderr: '', code: 0 });
    const raw = await api('GET', '/v1.41/swarm/unlockkey');
    assert.deepEqual([raw.status, raw.text], [200, `${JSON.stringify({ UnlockKey: key })}\n`]);
    assert.equal((await docker('info', '--format', '{{json .Swarm.Cluster.Spec.EncryptionConfig}}')).stdout, '{"AutoLockManagers":true}\n');
    assert.match((await docker('info')).stdout, /\n {2}Autolock Managers: true\n/);
    // Not locked: the CLI says so itself (after GET /info); the raw call is the Engine's 409.
    assert.deepEqual(await dockerIn(`${key}\n`, 'swarm', 'unlock'), { stdout: '', stderr: 'Error: swarm is not locked\n', code: 1 });
    const notLocked = await api('POST', '/v1.41/swarm/unlock', { UnlockKey: key });
    assert.deepEqual([notLocked.status, notLocked.text], [409, '{"message":"swarm is not locked"}\n']);
    secrets.set('the unlock key', key);
    secrets.set("the unlock key's base64", key.slice('SWMKEY-1-'.length));
    const tokens = (await docker('swarm', 'join-token', '-q', 'worker')).stdout.trim() + (await docker('swarm', 'join-token', '-q', 'manager')).stdout.trim();
    for (const [i, token] of (tokens.match(/SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}/g) ?? []).entries()) secrets.set(`join token secret ${i}`, token.slice(-25));
    assert.equal(secrets.size, 5);
    // The KEK file is sealed under the key: the key opens it, and it is the same KEK.
    const sealedFile = loadOrCreateKekFile(kekFile);
    assert.ok(sealedFile.sealed, 'the KEK file is sealed');
    assert.deepEqual(openSealedKek(sealedFile.sealedKek, key), kekBefore.kek);
    assert.equal(statSync(kekFile).mode & 0o777, 0o600);
    assertNoSecretOnDisk('after init --autolock');
  });

  it('after a restart of the whole stack: locked, every swarm call refused with the Engine text, local ones answered', async () => {
    const nodeBefore = (await docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.ManagerStatus}}')).stdout;
    const workerToken = (await docker('swarm', 'join-token', '-q', 'worker')).stdout;
    await down();
    await up();
    assert.match((await docker('info')).stdout, /\n Swarm: locked\n(?! {2}NodeID)/);
    assert.equal(
      (await docker('info', '--format', '{{json .Swarm}}')).stdout,
      `${JSON.stringify({ NodeID: '', NodeAddr: '127.0.0.1', LocalNodeState: 'locked', ControlAvailable: false, Error: LOCKED, RemoteManagers: null })}\n`,
    );
    const refused = { stdout: '', stderr: `Error response from daemon: ${LOCKED}\n`, code: 1 };
    assert.deepEqual(await docker('node', 'ls'), refused);
    assert.deepEqual(await docker('swarm', 'join-token', 'worker'), refused);
    assert.deepEqual(await docker('swarm', 'ca'), refused);
    assert.deepEqual(await docker('swarm', 'update', '--autolock=false'), refused);
    assert.deepEqual(await docker('network', 'create', '-d', 'overlay', 'x'), refused);
    assert.deepEqual(await docker('swarm', 'unlock-key'), { stdout: '', stderr: `could not fetch unlock key: Error response from daemon: ${LOCKED}\n`, code: 1 });
    for (const url of ['/v1.41/nodes', '/v1.41/swarm', '/v1.41/swarm/unlockkey']) {
      const r = await api('GET', url);
      assert.deepEqual([r.status, r.text], [503, `${JSON.stringify({ message: LOCKED })}\n`], url);
    }
    assert.deepEqual(await docker('network', 'ls', '--format', '{{.Name}}'), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(await docker('swarm', 'init'), {
      stdout: '',
      stderr: 'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n',
      code: 1,
    });
    assert.deepEqual(await docker('swarm', 'leave'), {
      stdout: '',
      stderr: 'Error response from daemon: Swarm is encrypted and locked. Please unlock it first or use `--force` to ignore this message.\n',
      code: 1,
    });
    assertNoSecretOnDisk('locked after the restart');

    // Wrong, malformed and empty keys: the Engine's answers (B-0xx), the swarm stays locked.
    const key = secrets.get('the unlock key') ?? '';
    const wrong = `SWMKEY-1-${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`;
    const invalid = { stdout: '', stderr: 'Error response from daemon: swarm could not be unlocked: invalid key provided\n', code: 1 };
    const malformed = { stdout: '', stderr: 'Error response from daemon: invalid key string\n', code: 1 };
    assert.deepEqual(await dockerIn(`${wrong}\n`, 'swarm', 'unlock'), invalid);
    assert.deepEqual(await dockerIn('SWMKEY-1-\n', 'swarm', 'unlock'), invalid);
    assert.deepEqual(await dockerIn('garbage\n', 'swarm', 'unlock'), malformed);
    assert.deepEqual(await dockerIn(`SWMKEY-2-${key.slice(9)}\n`, 'swarm', 'unlock'), malformed);
    assert.deepEqual(await dockerIn('\n', 'swarm', 'unlock'), malformed);
    const unauthorized = await api('POST', '/v1.41/swarm/unlock', { UnlockKey: wrong });
    assert.deepEqual([unauthorized.status, unauthorized.text], [401, '{"message":"swarm could not be unlocked: invalid key provided"}\n']);
    const empty = await api('POST', '/v1.41/swarm/unlock', {});
    assert.deepEqual([empty.status, empty.text], [400, '{"message":"invalid key string"}\n']);
    const notJson = await api('POST', '/v1.41/swarm/unlock', 'not json');
    assert.deepEqual([notJson.status, notJson.text], [400, `${JSON.stringify({ message: "invalid character 'o' in literal null (expecting 'u')" })}\n`]);
    const noBody = await api('POST', '/v1.41/swarm/unlock');
    assert.deepEqual([noBody.status, noBody.text], [400, '{"message":"got EOF while reading request body"}\n']);
    assert.deepEqual(await docker('node', 'ls'), refused);

    // The right key: nothing printed, and everything as it was.
    assert.deepEqual(await dockerIn(`${key}\n`, 'swarm', 'unlock'), { stdout: '', stderr: '', code: 0 });
    assert.equal((await docker('info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')).stdout, 'active true\n');
    assert.equal((await docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.ManagerStatus}}')).stdout, nodeBefore);
    assert.equal((await docker('swarm', 'join-token', '-q', 'worker')).stdout, workerToken);
    assert.equal((await docker('network', 'create', '-d', 'overlay', 'after-unlock')).code, 0);
    assert.deepEqual(await docker('swarm', 'unlock-key', '-q'), { stdout: `${key}\n`, stderr: '', code: 0 });
    assertNoSecretOnDisk('unlocked after the restart');
  });

  it('one process restarted under autolock (a crash) starts locked: the manager shows locked until unlocked again', async () => {
    const key = secrets.get('the unlock key') ?? '';
    const token = (await docker('swarm', 'join-token', '-q', 'worker')).stdout;
    await stack!.restart('token-service');
    // The gateway learns it from the service's liveness answer (probed every second).
    let state = '';
    for (let i = 0; i < 100 && state !== 'locked\n'; i++) state = (await docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout;
    assert.equal(state, 'locked\n');
    assert.deepEqual(await docker('swarm', 'join-token', 'worker'), { stdout: '', stderr: `Error response from daemon: ${LOCKED}\n`, code: 1 });
    assert.deepEqual(await dockerIn(`${key}\n`, 'swarm', 'unlock'), { stdout: '', stderr: '', code: 0 });
    assert.equal((await docker('swarm', 'join-token', '-q', 'worker')).stdout, token);
    assert.equal((await docker('swarm', 'join-token', '--rotate', '-q', 'worker')).code, 0, 'token-service has its key again');
  });

  it('unlock-key --rotate re-seals without downtime: the old key no longer opens the file, the new one does', async () => {
    const old = secrets.get('the unlock key') ?? '';
    const rotated = await docker('swarm', 'unlock-key', '--rotate');
    const key = /\n {4}(SWMKEY-1-\S+)\n/.exec(rotated.stdout)?.[1] ?? '';
    assert.match(key, UNLOCK_KEY);
    assert.notEqual(key, old);
    assert.deepEqual(rotated, { stdout: `Successfully rotated manager unlock key.\n${keyBlock(key)}`, stderr: '', code: 0 });
    const quiet = await docker('swarm', 'unlock-key', '--rotate', '-q');
    assert.match(quiet.stdout, /^SWMKEY-1-[A-Za-z0-9+/]{43}\n$/);
    const newest = quiet.stdout.trim();
    secrets.set('the second unlock key', key);
    secrets.set('the third unlock key', newest);
    // No downtime: the manager keeps working; the file now opens with the newest key only.
    assert.equal((await docker('node', 'ls', '-q')).code, 0);
    const file = loadOrCreateKekFile(path.join(dataDir, 'kek'));
    assert.ok(file.sealed);
    assert.throws(() => openSealedKek(file.sealedKek, old), /invalid key provided/);
    assert.throws(() => openSealedKek(file.sealedKek, key), /invalid key provided/);
    assert.equal(openSealedKek(file.sealedKek, newest).toString('hex'), secrets.get('the KEK (hex)'));
    assertNoSecretOnDisk('after two rotations');
    // The audit shows the keys by fingerprint only: three issued so far (init, two rotations).
    const rotations = JSON.parse((await api('GET', '/audit/rotations')).text) as { type: string; unlockKeyFingerprint?: string }[];
    const issued = rotations.filter((r) => r.type === 'UnlockKeyIssued');
    assert.equal(issued.length, 3);
    assert.ok(issued.every((r) => /^sha256:[0-9a-f]{64}$/.test(r.unlockKeyFingerprint ?? '')));
    const everything = (await api('GET', '/audit/events')).text;
    for (const [name, secret] of secrets) assert.ok(!everything.includes(secret), `${name} in the audit API`);
  });

  it('autolock off unseals the file; no key then; on again makes a new key', async () => {
    assert.deepEqual(await docker('swarm', 'update', '--autolock=false'), { stdout: 'Swarm updated.\n', stderr: '', code: 0 });
    const file = loadOrCreateKekFile(path.join(dataDir, 'kek'));
    assert.ok(!file.sealed);
    assert.equal(file.kek.toString('hex'), secrets.get('the KEK (hex)'));
    assert.match((await docker('info')).stdout, /\n {2}Autolock Managers: false\n/);
    assert.deepEqual(await docker('swarm', 'unlock-key'), { stdout: '', stderr: 'no unlock key is set\n', code: 1 });
    assert.deepEqual(await docker('swarm', 'unlock-key', '-q'), { stdout: '', stderr: 'no unlock key is set\n', code: 1 });
    assert.deepEqual(await docker('swarm', 'unlock-key', '--rotate'), { stdout: '', stderr: 'cannot rotate because autolock is not turned on\n', code: 1 });
    const raw = await api('GET', '/v1.41/swarm/unlockkey');
    assert.deepEqual([raw.status, raw.text], [200, '{"UnlockKey":""}\n']);
    const on = await docker('swarm', 'update', '--autolock=true');
    const key = /\n {4}(SWMKEY-1-\S+)\n/.exec(on.stdout)?.[1] ?? '';
    assert.deepEqual(on, { stdout: `Swarm updated.\n${keyBlock(key)}`, stderr: '', code: 0 });
    assert.ok(![...secrets.values()].includes(key), 'a new key, not one of an earlier period');
    assert.deepEqual(await docker('swarm', 'update', '--autolock=true'), { stdout: 'Swarm updated.\n', stderr: '', code: 0 });
    assert.equal((await docker('swarm', 'unlock-key', '-q')).stdout, `${key}\n`);
    secrets.set('the fourth unlock key', key);
    const sealed = loadOrCreateKekFile(path.join(dataDir, 'kek'));
    assert.ok(sealed.sealed);
    assert.throws(() => openSealedKek(sealed.sealedKek, secrets.get('the third unlock key') ?? ''), /invalid key provided/);
    assertNoSecretOnDisk('autolock off and on again');
    // npm run rebuild cannot open the sealed file: it says so and compares everything but the tokens.
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/rebuild.js', import.meta.url))], {
      env: { ...process.env, NATS_URL: nats!.url, SWARM_KEK_FILE: path.join(dataDir, 'kek'), GATEWAY_ADDR: dockerHost },
      encoding: 'utf8',
    });
    assert.match(out, /^the key-encryption key file is sealed \(autolock\): join tokens are not compared$/m);
    assert.match(out, /^state after rebuild equals the running gateway/m);
  });

  it('swarm update refuses, with a text that says so, the fields this engine cannot honour, and stores nothing', async () => {
    const version = (await docker('info', '--format', '{{.Swarm.Cluster.Version.Index}}')).stdout;
    assert.deepEqual(await docker('swarm', 'update', '--task-history-limit', '7'), {
      stdout: '',
      stderr: 'Error response from daemon: Orchestration.TaskHistoryRetentionLimit (--task-history-limit) is not supported by this engine: it runs no tasks, so a value other than the current one would have no effect\n',
      code: 1,
    });
    assert.deepEqual(await docker('swarm', 'update', '--snapshot-interval', '500'), {
      stdout: '',
      stderr: 'Error response from daemon: Raft.SnapshotInterval (--snapshot-interval) is not supported by this engine: it has no Raft log (its state is an event log), so a value other than the current one would have no effect\n',
      code: 1,
    });
    assert.equal((await docker('info', '--format', '{{.Swarm.Cluster.Version.Index}}')).stdout, version);
    assert.deepEqual(await docker('swarm', 'update', '--cert-expiry', '100h'), { stdout: 'Swarm updated.\n', stderr: '', code: 0 });
  });

  it('a locked manager leaves only with --force; then a new KEK lets a new swarm be made', async () => {
    await down();
    await up();
    assert.match((await docker('info')).stdout, /\n Swarm: locked\n/);
    assert.deepEqual(await docker('swarm', 'leave', '--force'), { stdout: 'Node left the swarm.\n', stderr: '', code: 0 });
    assert.equal((await docker('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout, 'inactive\n');
    assert.deepEqual(await docker('swarm', 'unlock-key'), {
      stdout: '',
      stderr: 'could not fetch unlock key: Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n',
      code: 1,
    });
    const file = loadOrCreateKekFile(path.join(dataDir, 'kek'));
    assert.ok(!file.sealed, 'a new key, in clear');
    assert.notEqual(file.kek.toString('hex'), secrets.get('the KEK (hex)'));
    const init = await docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${swarmPort}`);
    assert.equal(init.code, 0, init.stderr);
    assert.match((await docker('swarm', 'join-token', '-q', 'worker')).stdout, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\n$/);
    assertNoSecretOnDisk('after a forced leave and a new init');
  });
});

function filesUnder(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
