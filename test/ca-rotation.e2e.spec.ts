import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

/**
 * `docker swarm ca` and root rotation with the real CLI, a manager (the stack) and two agents (a
 * worker and a manager) that stay up throughout; expectations from the recorded Engine
 * (../shared/reference/pki/A-ca.txt, SUMMARY.md part A).
 */
const DAEMON = 'Error response from daemon: ';
const HEADER = 'desired root digest: \n  rotated TLS certificates: \n  rotated CA certificates:  \n';

interface SwarmInfo {
  Version: { Index: number };
  Spec: { CAConfig: { NodeCertExpiry?: number; ForceRotate?: number } };
  TLSInfo: { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string };
  RootRotationInProgress: boolean;
  JoinTokens: { Worker: string; Manager: string };
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const digestBase36 = (pem: string): string => BigInt(`0x${sha256(pem)}`).toString(36).padStart(50, '0');

/** An agent's root and its current certificate (leaf first, then the chain it got), from its data dir. */
function agentFiles(agent: AgentFixture): { root: string; cert: string } {
  const state = JSON.parse(readFileSync(path.join(agent.dataDir, 'swarm-state.json'), 'utf8')) as { certGeneration: number };
  return {
    root: readFileSync(path.join(agent.dataDir, 'swarm-root-ca.crt'), 'utf8'),
    cert: readFileSync(path.join(agent.dataDir, `swarm-node-${state.certGeneration}.crt`), 'utf8'),
  };
}

/** The certificate the manager's swarm port serves (a TLS handshake, nothing sent). */
function servedCertificate(addr: string): Promise<string> {
  const [host, port] = addr.split(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(port), servername: 'swarm-ca', rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`);
    });
    socket.once('error', reject);
  });
}

/** `openssl verify` of a leaf (and its untrusted intermediates) against a root. */
function opensslVerifies(rootPem: string, chainPem: string, dir: string): boolean {
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  writeFileSync(path.join(dir, 'root.pem'), rootPem);
  writeFileSync(path.join(dir, 'leaf.pem'), blocks[0] ?? '');
  writeFileSync(path.join(dir, 'chain.pem'), blocks.slice(1).join('') || (blocks[0] ?? ''));
  try {
    execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'root.pem'), '-untrusted', path.join(dir, 'chain.pem'), path.join(dir, 'leaf.pem')], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('docker swarm ca: root rotation with a worker and a manager agent (real docker CLI)', () => {
  let fx: StackFixture;
  let worker: AgentFixture;
  let manager: AgentFixture;
  let third: AgentFixture;
  let swarmAddr: string;
  let dir: string;

  const swarm = async (): Promise<SwarmInfo> => JSON.parse((await fx.api('GET', '/v1.47/swarm')).text) as SwarmInfo;
  const nodeList = async (): Promise<string> => (await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}')).stdout.split('\n').sort().join('\n');
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  /** Both agents hold the trust root and a certificate of it (leaf only, or leaf + intermediate). */
  const agentsFollow = async (rootPem: string): Promise<boolean> =>
    eventually(() => [worker, manager].every((agent) => {
      const files = agentFiles(agent);
      return files.root === rootPem && opensslVerifies(rootPem, files.cert, dir);
    }));

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ca-rotation-'));
    fx = await startStackFixture();
    swarmAddr = `127.0.0.1:${await freePort()}`;
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', swarmAddr, '--dispatcher-heartbeat', '1s');
    assert.equal(init.code, 0, init.stderr);
    const tokens = (await swarm()).JoinTokens;
    worker = await startAgent({ hostname: 'worker-1' });
    manager = await startAgent({ hostname: 'manager-2' });
    assert.equal((await worker.docker('swarm', 'join', '--token', tokens.Worker, swarmAddr)).code, 0);
    assert.equal((await manager.docker('swarm', 'join', '--token', tokens.Manager, swarmAddr)).code, 0);
  });
  after(async () => {
    await worker?.stop();
    await manager?.stop();
    await third?.stop();
    await fx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the trust root as the Engine does (with -q and --detach too); CA flags without --rotate are refused by the CLI', async () => {
    const { TrustRoot } = (await swarm()).TLSInfo;
    for (const flags of [[], ['-q'], ['--detach']]) {
      assert.deepEqual(await fx.docker('swarm', 'ca', ...flags), { stdout: `${TrustRoot.trim()}\n`, stderr: '', code: 0 });
    }
    assert.deepEqual(await fx.docker('swarm', 'ca', '--cert-expiry', '1h'), { stdout: '', stderr: '`--cert-expiry` flag requires the `--rotate` flag to update the CA\n', code: 1 });
    assert.deepEqual(await fx.docker('swarm', 'ca', 'extra-arg'), {
      stdout: '',
      stderr: "docker: 'docker swarm ca' accepts no arguments\n\nUsage:  docker swarm ca [OPTIONS]\n\nRun 'docker swarm ca --help' for more information\n",
      code: 1,
    });
    assert.equal((await worker.docker('swarm', 'ca')).code, 1);
  });

  it('rotates while both agents are up: progress lines, the new root printed, new tokens, both agents on the new root, node ls unchanged', async () => {
    const before = await swarm();
    const nodesBefore = await nodeList();
    const rotated = await fx.docker('swarm', 'ca', '--rotate');
    assert.equal(rotated.code, 0, rotated.stderr);
    const after = await swarm();
    const newRoot = after.TLSInfo.TrustRoot;
    assert.notEqual(newRoot, before.TLSInfo.TrustRoot);
    assert.equal(after.RootRotationInProgress, false);
    assert.equal(after.Spec.CAConfig.ForceRotate, (before.Spec.CAConfig.ForceRotate ?? 0) + 1);
    // Non-TTY output: the three header lines, one digest line per poll (the last one the new root's), then the new root.
    assert.ok(rotated.stdout.startsWith(HEADER), rotated.stdout);
    const lines = rotated.stdout.slice(HEADER.length).split('\n');
    const pemStart = lines.indexOf('-----BEGIN CERTIFICATE-----');
    const digestLines = lines.slice(0, pemStart);
    assert.ok(digestLines.length >= 1 && digestLines.every((line) => /^desired root digest: sha256:[0-9a-f]{64}$/.test(line)), rotated.stdout);
    assert.equal(digestLines.at(-1), `desired root digest: sha256:${sha256(newRoot)}`);
    assert.equal(lines.slice(pemStart).join('\n'), `${newRoot.trim()}\n`);
    // Both tokens changed entirely: the new root's digest, new secrets.
    for (const role of ['Worker', 'Manager'] as const) {
      const [, , digest, secret] = after.JoinTokens[role].split('-');
      const [, , oldDigest, oldSecret] = before.JoinTokens[role].split('-');
      assert.equal(digest, digestBase36(newRoot));
      assert.notEqual(digest, oldDigest);
      assert.notEqual(secret, oldSecret);
    }
    assert.ok(await agentsFollow(newRoot), 'both agents hold the new root and a certificate of it');
    assert.equal(await nodeList(), nodesBefore);
    // Both keep heartbeating over mutual TLS on the new root: still Ready after three more periods.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    assert.equal(await nodeList(), nodesBefore);
    assert.match(nodesBefore, /worker-1 Ready Active/);
    assert.match(nodesBefore, /manager-2 Ready Active Reachable/);
    // Every node's Description.TLSInfo names the new issuer and trust root.
    const nodes = JSON.parse((await fx.api('GET', '/v1.47/nodes')).text) as { Description: { TLSInfo: SwarmInfo['TLSInfo'] } }[];
    assert.equal(nodes.length, 3);
    for (const node of nodes) assert.deepEqual(node.Description.TLSInfo, after.TLSInfo);
    // The manager agent's forwarded calls go through on its new certificate.
    assert.equal((await manager.docker('node', 'ls', '-q')).stdout.trim().split('\n').length, 3);

    // The old tokens are refused as the Engine refuses them; the new one joins a third agent.
    third = await startAgent({ hostname: 'worker-3' });
    const oldDigestHex = sha256(before.TLSInfo.TrustRoot);
    assert.deepEqual(await third.docker('swarm', 'join', '--token', before.JoinTokens.Worker, swarmAddr), {
      stdout: '',
      stderr: `${DAEMON}remote CA does not match fingerprint. Expected: ${oldDigestHex}\n`,
      code: 1,
    });
    const mixed = `SWMTKN-1-${digestBase36(newRoot)}-${before.JoinTokens.Worker.slice(-25)}`;
    assert.deepEqual(await third.docker('swarm', 'join', '--token', mixed, swarmAddr), {
      stdout: '',
      stderr: `${DAEMON}rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n`,
      code: 1,
    });
    assert.deepEqual(await third.docker('swarm', 'join', '--token', after.JoinTokens.Worker, swarmAddr), { stdout: 'This node joined a swarm as a worker.\n', stderr: '', code: 0 });
    assert.equal(readFileSync(path.join(third.dataDir, 'swarm-root-ca.crt'), 'utf8'), newRoot);
  });

  it('--detach returns at once with nothing printed while the rotation goes on; -q prints nothing and waits', async () => {
    const before = await swarm();
    assert.deepEqual(await fx.docker('swarm', 'ca', '--rotate', '--detach'), { stdout: '', stderr: '', code: 0 });
    const during = await swarm();
    assert.ok(during.Version.Index > before.Version.Index);
    if (during.RootRotationInProgress) {
      // The desired issuer already shows; the trust root and the tokens change only at the end.
      assert.equal(during.TLSInfo.TrustRoot, before.TLSInfo.TrustRoot);
      assert.notEqual(during.TLSInfo.CertIssuerPublicKey, before.TLSInfo.CertIssuerPublicKey);
      assert.deepEqual(during.JoinTokens, before.JoinTokens);
      assert.match((await fx.docker('info')).stdout, / {2}Root Rotation In Progress: true\n/);
    }
    assert.ok(await eventually(async () => !(await swarm()).RootRotationInProgress), 'the detached rotation ends');
    // Started as soon as the last one ended: the third agent may not have heard of that end yet (it trusts the root wanted too).
    assert.deepEqual(await fx.docker('swarm', 'ca', '--rotate', '-q'), { stdout: '', stderr: '', code: 0 });
    const after = await swarm();
    assert.equal(after.RootRotationInProgress, false);
    assert.ok(await agentsFollow(after.TLSInfo.TrustRoot));
  });

  it('--ca-cert/--ca-key (ECDSA from openssl, then RSA in PKCS#1): that root is the trust root, printed byte for byte', async () => {
    openssl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'ec-key.pem');
    openssl('req', '-x509', '-new', '-key', 'ec-key.pem', '-sha256', '-days', '3650', '-subj', '/CN=External ECDSA Root', '-out', 'ec-ca.pem');
    const rotated = await fx.docker('swarm', 'ca', '--rotate', '--ca-cert', path.join(dir, 'ec-ca.pem'), '--ca-key', path.join(dir, 'ec-key.pem'));
    assert.equal(rotated.code, 0, rotated.stderr);
    const ecPem = readFileSync(path.join(dir, 'ec-ca.pem'), 'utf8');
    assert.deepEqual(await fx.docker('swarm', 'ca'), { stdout: ecPem, stderr: '', code: 0 });
    const after = await swarm();
    assert.deepEqual(after.Spec.CAConfig, { NodeCertExpiry: 7776000000000000, ...(after.Spec.CAConfig.ForceRotate ? { ForceRotate: after.Spec.CAConfig.ForceRotate } : {}) });
    assert.ok(!JSON.stringify(after).includes('PRIVATE KEY'));
    assert.ok(await agentsFollow(ecPem));
    assert.equal(new X509Certificate(agentFiles(worker).cert).issuer, 'CN=External ECDSA Root');
    // The same root again: accepted, nothing rotates.
    const version = after.Version.Index;
    assert.equal((await fx.docker('swarm', 'ca', '--rotate', '--ca-cert', path.join(dir, 'ec-ca.pem'), '--ca-key', path.join(dir, 'ec-key.pem'))).code, 0);
    assert.equal((await swarm()).TLSInfo.TrustRoot, ecPem);
    assert.ok((await swarm()).Version.Index > version);
    // The spec without the key can be sent back: swarm update works.
    assert.deepEqual(await fx.docker('swarm', 'update', '--cert-expiry', '2160h'), { stdout: 'Swarm updated.\n', stderr: '', code: 0 });

    openssl('genrsa', '-traditional', '-out', 'rsa-key.pem', '2048');
    openssl('req', '-x509', '-new', '-key', 'rsa-key.pem', '-sha256', '-days', '3650', '-subj', '/CN=External RSA Root', '-out', 'rsa-ca.pem');
    assert.match(readFileSync(path.join(dir, 'rsa-key.pem'), 'utf8'), /BEGIN RSA PRIVATE KEY/);
    const rsa = await fx.docker('swarm', 'ca', '--rotate', '--ca-cert', path.join(dir, 'rsa-ca.pem'), '--ca-key', path.join(dir, 'rsa-key.pem'));
    assert.equal(rsa.code, 0, rsa.stderr);
    const rsaPem = readFileSync(path.join(dir, 'rsa-ca.pem'), 'utf8');
    assert.equal((await fx.docker('swarm', 'ca')).stdout, rsaPem);
    assert.ok(await agentsFollow(rsaPem));
    assert.match(execFileSync('openssl', ['x509', '-noout', '-text'], { input: agentFiles(manager).cert }).toString(), /Signature Algorithm: sha256WithRSAEncryption/);
  });

  it('refuses bad CA material with the Engine texts, and changes nothing', async () => {
    openssl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'ec2-key.pem');
    openssl('req', '-x509', '-new', '-key', 'ec2-key.pem', '-sha256', '-days', '365', '-subj', '/CN=One Year Root', '-out', 'short-ca.pem');
    openssl('req', '-x509', '-new', '-key', 'ec2-key.pem', '-sha1', '-days', '3650', '-subj', '/CN=SHA1 Root', '-out', 'sha1-ca.pem');
    openssl('req', '-x509', '-new', '-key', 'ec2-key.pem', '-sha256', '-days', '3650', '-subj', '/CN=Not A CA', '-addext', 'basicConstraints=critical,CA:FALSE', '-out', 'noca.pem');
    openssl('ec', '-in', 'ec2-key.pem', '-aes256', '-passout', 'pass:secret', '-out', 'ec2-key-enc.pem');
    writeFileSync(path.join(dir, 'two-ca.pem'), readFileSync(path.join(dir, 'ec-ca.pem'), 'utf8') + readFileSync(path.join(dir, 'rsa-ca.pem'), 'utf8'));
    const before = await swarm();
    const f = (name: string): string => path.join(dir, name);
    const cases: [string[], string, number][] = [
      [['--ca-cert', f('ec-ca.pem'), '--ca-key', f('rsa-key.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = certificate key mismatch\n`, 1],
      [['--ca-cert', f('short-ca.pem'), '--ca-key', f('ec2-key.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = CA certificate expires too soon\n`, 1],
      [['--ca-cert', f('sha1-ca.pem'), '--ca-key', f('ec2-key.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = unsupported signature algorithm: ECDSA-SHA1\n`, 1],
      [['--ca-cert', f('noca.pem'), '--ca-key', f('ec2-key.pem')], `${DAEMON}rpc error: code = Internal desc = unable to generate a cross-signed certificate for root rotation\n`, 1],
      [['--ca-cert', f('two-ca.pem'), '--ca-key', f('ec-key.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = the desired CA certificate cannot contain multiple certificates\n`, 1],
      [['--ca-cert', f('ec-ca.pem'), '--ca-key', f('ec2-key-enc.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = malformed private key: {"code":2100,"message":"Private key is encrypted."}\n`, 1],
      [['--ca-cert', f('ec-ca.pem')], 'the --ca-cert flag requires that a --ca-key flag and/or --external-ca flag be provided as well\n', 1],
      [['--ca-key', f('ec-key.pem')], `${DAEMON}rpc error: code = InvalidArgument desc = if a signing CA key is provided, the signing CA cert must also be provided\n`, 1],
      [['--cert-expiry', '30m'], `${DAEMON}rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s\n`, 1],
    ];
    for (const [flags, stderr, code] of cases) {
      assert.deepEqual(await fx.docker('swarm', 'ca', '--rotate', ...flags), { stdout: '', stderr, code }, flags.join(' '));
    }
    // An external CA is refused, never recorded as if it signed anything.
    const external = await fx.docker('swarm', 'ca', '--rotate', '--external-ca', 'protocol=cfssl,url=https://127.0.0.1:3379/api/v1/cfssl/sign', '--ca-cert', f('ec-ca.pem'));
    assert.equal(external.code, 1);
    assert.match(external.stderr, /external CAs are not supported by this engine/);
    const update = await fx.docker('swarm', 'update', '--external-ca', 'protocol=cfssl,url=https://127.0.0.1:3379/api/v1/cfssl/sign');
    assert.equal(update.code, 1);
    assert.match(update.stderr, /external CAs are not supported by this engine/);
    // Raw API: a certificate without its key (it would need an external CA).
    const spec = { ...(before as unknown as { Spec: Record<string, unknown> }).Spec, CAConfig: { SigningCACert: readFileSync(f('ec-ca.pem'), 'utf8') } };
    const raw = await fx.api('POST', `/v1.41/swarm/update?version=${before.Version.Index}`, spec);
    assert.deepEqual([raw.status, JSON.parse(raw.text)], [400, { message: 'rpc error: code = InvalidArgument desc = there must be at least one valid, reachable external CA corresponding to the desired CA certificate' }]);
    const afterAll = await swarm();
    assert.deepEqual([afterAll.Version, afterAll.TLSInfo, afterAll.JoinTokens, afterAll.Spec], [before.Version, before.TLSInfo, before.JoinTokens, before.Spec]);
  });

  it('--cert-expiry 1h with --rotate: every node ends with a certificate of the new root that lives an hour (plus the backdate)', async () => {
    const rotated = await fx.docker('swarm', 'ca', '--rotate', '--cert-expiry', '1h', '-q');
    assert.deepEqual(rotated, { stdout: '', stderr: '', code: 0 });
    const after = await swarm();
    assert.equal(after.Spec.CAConfig.NodeCertExpiry, 3_600_000_000_000);
    assert.ok(await agentsFollow(after.TLSInfo.TrustRoot));
    for (const agent of [worker, manager]) {
      const leaf = new X509Certificate(agentFiles(agent).cert);
      assert.equal(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom), 2 * 3_600_000);
    }
    assert.match((await fx.docker('info')).stdout, / {3}Expiry Duration: About an hour\n/);
  });

  it('a --cert-expiry change: every node renews at once, the swarm port serves its new certificate without a restart', async () => {
    const gatewayPid = fx.stack.processes.get('gateway')?.[0]?.pid;
    assert.deepEqual(await fx.docker('swarm', 'update', '--cert-expiry', '3h'), { stdout: 'Swarm updated.\n', stderr: '', code: 0 });
    const lifeOf = (pem: string): number => {
      const leaf = new X509Certificate(pem);
      return Date.parse(leaf.validTo) - Date.parse(leaf.validFrom);
    };
    const fourHours = 4 * 3_600_000;
    assert.ok(await eventually(() => [worker, manager, third].every((agent) => lifeOf(agentFiles(agent).cert) === fourHours)), 'the agents renewed');
    assert.ok(await eventually(async () => lifeOf(await servedCertificate(swarmAddr)) === fourHours), 'the swarm port serves a renewed certificate');
    assert.ok(gatewayPid !== undefined && fx.stack.processes.get('gateway')?.[0]?.pid === gatewayPid, 'the same gateway process');
  });

  it('the audit lists each rotation: its start, its end, and the tokens made anew, by digest and fingerprint only', async () => {
    const rotations = JSON.parse((await fx.api('GET', '/audit/rotations')).text) as { type: string; caDigest?: string }[];
    const types = rotations.map((r) => r.type);
    assert.ok(types.filter((t) => t === 'RootRotationStarted').length >= 5, types.join());
    assert.equal(types.filter((t) => t === 'RootRotationCompleted').length, types.filter((t) => t === 'JoinTokensReissued').length);
    assert.ok(types.includes('RootRotationCompleted'));
    const text = JSON.stringify(rotations);
    assert.ok(!text.includes('PRIVATE KEY') && !text.includes('SWMTKN-1-'));
    // The operator's keys and the roots the CA made are in the log sealed only.
    const started = (await fx.api('GET', '/audit/events?type=RootRotationStarted')).text;
    assert.ok(started.includes('"sealedKey":"[sealed]"') && !started.includes('PRIVATE KEY'), started.slice(0, 300));
  });
});
