/**
 * The Engine API's front door (issue 13, item 4), with the real docker CLI, compared with the
 * recorded Engine (../shared/reference/pki/D-engine-tls.txt): a unix socket by default (0660, the
 * running user, group docker when it exists); loopback TCP with dockerd's warning; any other address
 * refused without TLS before anything binds; TLS that requires client certificates.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEngineApiCertificates } from '#pki';
import { freePort } from '#testing';
import { startAgent, type AgentFixture } from './support/agent-fixture.js';
import { runDocker, startStackFixture, type StackFixture } from './support/stack-fixture.js';

const GATEWAY = fileURLToPath(new URL('../apps/gateway/src/main.js', import.meta.url));
const dockerGid = (): number | undefined => {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('docker:'));
  return line ? Number(line.split(':')[2]) : undefined;
};
const WARNING_1 = 'Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.';
const WARNING_2 = 'Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there!';
/** The `msg` of every JSON log line (pino) in `text`. */
const messages = (text: string): string[] =>
  text.split('\n').flatMap((line) => {
    try {
      return [String((JSON.parse(line) as { msg?: unknown }).msg)];
    } catch {
      return [];
    }
  });

/** `npm run certs`'s layout: server/{ca,cert,key}.pem and client/{ca,cert,key}.pem; cacertonly/ca.pem as in D-027. */
function writeCerts(dir: string): { server: string; client: string; caOnly: string } {
  const m = createEngineApiCertificates({ hosts: ['127.0.0.1', '::1', 'localhost'], now: new Date() });
  const put = (folder: string, files: Record<string, string>): string => {
    const target = path.join(dir, folder);
    mkdirSync(target, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(target, name), text, { mode: name.startsWith('key') ? 0o600 : 0o644 });
    return target;
  };
  return {
    server: put('server', { 'ca.pem': m.caCertPem, 'cert.pem': m.serverCertPem, 'key.pem': m.serverKeyPem }),
    client: put('client', { 'ca.pem': m.caCertPem, 'cert.pem': m.clientCertPem, 'key.pem': m.clientKeyPem }),
    caOnly: put('cacertonly', { 'ca.pem': m.caCertPem }),
  };
}

describe('the gateway on its default unix socket', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture();
  });
  after(() => fx?.stop());

  it('is a socket of mode 0660, owned by the running user and group docker (when that group exists)', async () => {
    const socketPath = path.join(fx.dataDir, 'docker.sock');
    assert.equal(fx.dockerHost, `unix://${socketPath}`);
    const stat = statSync(socketPath);
    assert.ok(stat.isSocket());
    assert.equal(stat.mode & 0o777, 0o660);
    assert.equal(stat.uid, process.getuid?.());
    assert.equal(stat.gid, dockerGid() ?? process.getgid?.());
    const version = await fx.docker('version', '--format', '{{.Server.APIVersion}}');
    assert.deepEqual(version, { stdout: '1.47\n', stderr: '', code: 0 });
    const log = readFileSync(path.join(fx.dataDir, 'logs', 'gateway-0.log'), 'utf8');
    assert.ok(log.includes(`Engine API listening on unix://${socketPath}`));
    assert.ok(!log.includes('Binding to IP address'), 'no TCP warning for a socket');
  });
});

describe('the gateway refuses plain TCP beyond loopback at start, before it binds anything', () => {
  for (const addr of ['0.0.0.0:2375', '192.0.2.10:2375', '[::]:2375']) {
    it(`GATEWAY_ADDR=${addr}`, async () => {
      // NATS_URL names a closed port: a gateway that went on would log connection attempts.
      const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_ADDR: addr, NATS_URL: `nats://127.0.0.1:${await freePort()}`, DATA_DIR: os.tmpdir() };
      delete env.GATEWAY_TLS_CERT_PATH;
      const run = spawnSync(process.execPath, [GATEWAY], { env, encoding: 'utf8', timeout: 20_000 });
      assert.equal(run.status, 1);
      assert.equal(run.stdout, '');
      assert.equal(
        run.stderr,
        `gateway: GATEWAY_ADDR=${addr}: refusing to serve the Engine API without TLS on ${addr.replace(/^\[?([^\]]*)\]?:\d+$/, '$1')}, which is not a loopback address: ` +
          'anyone who reaches it would control the swarm. Give GATEWAY_TLS_CERT_PATH (a folder with ca.pem, cert.pem, key.pem) or GATEWAY_TLS_CA, GATEWAY_TLS_CERT and GATEWAY_TLS_KEY (client certificates are then required, ' +
          "as dockerd's --tlsverify; `npm run certs` makes them), or listen on a unix socket (the default) or on 127.0.0.1.\n",
      );
    });
  }
});

describe('the gateway on loopback TCP when asked', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture({ tcp: true });
  });
  after(() => fx?.stop());

  it("serves plain HTTP there and logs dockerd's warnings", async () => {
    assert.deepEqual(await fx.docker('version', '--format', '{{.Server.APIVersion}}'), { stdout: '1.47\n', stderr: '', code: 0 });
    const log = messages(readFileSync(path.join(fx.dataDir, 'logs', 'gateway-0.log'), 'utf8'));
    const host = `host="tcp://${fx.gatewayAddr}"`;
    assert.ok(log.includes(`${WARNING_1}  ${host}`), log.join('\n'));
    assert.ok(log.includes(`${WARNING_2}  ${host}`));
  });
});

describe('the gateway with TLS: client certificates required (--tlsverify)', () => {
  let fx: StackFixture;
  let certs: ReturnType<typeof writeCerts>;
  let dir: string;
  let port: number;
  let tcpHost: string;
  const docker = (env: Record<string, string>, ...args: string[]) => runDocker(tcpHost, args, undefined, env);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-tls-'));
    certs = writeCerts(dir);
    fx = await startStackFixture({ tcp: true, env: { GATEWAY_TLS_CERT_PATH: certs.server } });
    port = Number(fx.gatewayAddr.split(':')[1]);
    tcpHost = `tcp://127.0.0.1:${port}`;
  });
  after(async () => {
    await fx?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the CLI with a client certificate: --tlsverify flags, or DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (D-022, D-024)', async () => {
    const env = await docker({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client }, 'version', '--format', '{{.Server.APIVersion}}');
    assert.deepEqual(env, { stdout: '1.47\n', stderr: '', code: 0 });
    const flags = await docker({}, '--tlsverify', '--tlscacert', `${certs.client}/ca.pem`, '--tlscert', `${certs.client}/cert.pem`, '--tlskey', `${certs.client}/key.pem`, 'network', 'ls', '--format', '{{.Name}}');
    assert.equal(flags.code, 0, flags.stderr);
    const init = await docker({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client }, 'swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\./);
    const log = readFileSync(path.join(fx.dataDir, 'logs', 'gateway-0.log'), 'utf8');
    assert.ok(log.includes(`Engine API listening on tcp://127.0.0.1:${port} (TLS, client certificates required)`));
    assert.ok(!log.includes('Binding to IP address'), 'no plain-TCP warning behind TLS');
  });

  it("a manager agent's calls reach the TLS gateway through the swarm port (the gateway calls its own TLS listener)", async () => {
    const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client };
    const swarm = JSON.parse((await docker(env, 'info', '--format', '{{json .Swarm}}')).stdout) as { RemoteManagers: { Addr: string }[] };
    const managerAddr = swarm.RemoteManagers[0]?.Addr ?? '';
    const token = (await docker(env, 'swarm', 'join-token', '-q', 'manager')).stdout.trim();
    const agent = await startAgent({ hostname: 'tls-manager-2' });
    try {
      assert.deepEqual(await agent.docker('swarm', 'join', '--token', token, managerAddr), { stdout: 'This node joined a swarm as a manager.\n', stderr: '', code: 0 });
      const nodes = await agent.docker('node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}');
      assert.equal(nodes.code, 0, nodes.stderr);
      assert.match(nodes.stdout, /^tls-manager-2 Reachable$/m);
      assert.equal((await agent.docker('swarm', 'leave', '--force')).code, 0);
    } finally {
      await agent.stop();
    }
  });

  it('refuses the CLI without a client certificate (D-026, D-027, D-028); the alert differs, see README', async () => {
    const cases = [
      await docker({}, '--tlsverify', '--tlscacert', `${certs.client}/ca.pem`, 'ps'),
      await docker({ DOCKER_CERT_PATH: certs.caOnly }, '--tlsverify', 'ps'),
      await docker({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.caOnly }, 'version'),
    ];
    for (const refused of cases) {
      assert.equal(refused.code, 1);
      // Recorded: `the server probably has client authentication (--tlsverify) enabled; check your TLS
      // client certification settings: Get "https://127.0.0.1:3376/v1.50/containers/json": remote error: tls: bad certificate`.
      // OpenSSL answers a missing certificate with TLS 1.3's certificate_required alert where Go sends bad_certificate.
      // Go's HTTP client names the alert from its request path or, when its read loop sees it first,
      // prefixes `readLoopPeekFailLocked: ` (seen in one CI run): either is the same refusal.
      assert.match(refused.stderr, new RegExp(`Get "https://127\\.0\\.0\\.1:${port}/v1\\.\\d+/(containers/json|version)": (readLoopPeekFailLocked: )?remote error: tls: certificate required\\n$`));
    }
    assert.equal(cases[2]?.stdout.startsWith('Client:\n'), true, 'version prints the Client block first, as recorded');
  });

  it("answers plain HTTP as dockerd: the CLI's text and the raw bytes of D-039, D-040, D-044", async () => {
    assert.deepEqual(await docker({}, 'ps'), { stdout: '', stderr: 'Error response from daemon: Client sent an HTTP request to an HTTPS server.\n', code: 1 });
    const version = await docker({}, 'version');
    assert.equal(version.code, 1);
    assert.ok(version.stdout.startsWith('Client:\n'));
    assert.equal(version.stderr, 'Error response from daemon: Client sent an HTTP request to an HTTPS server.\n');
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /_ping HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.equal(raw, 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
  });
});

describe('the agent: its own socket by default, loopback TCP when asked, TLS beyond', () => {
  const agents: AgentFixture[] = [];
  after(() => Promise.all(agents.map((a) => a.stop())));

  it('listens on <data>/docker.sock, 0660, group docker when it exists', async () => {
    const agent = await startAgent();
    agents.push(agent);
    const socketPath = path.join(agent.dataDir, 'docker.sock');
    assert.equal(agent.dockerHost, `unix://${socketPath}`);
    const stat = statSync(socketPath);
    assert.ok(stat.isSocket());
    assert.equal(stat.mode & 0o777, 0o660);
    assert.equal(stat.uid, process.getuid?.());
    assert.equal(stat.gid, dockerGid() ?? process.getgid?.());
    assert.deepEqual(await agent.docker('info', '--format', '{{.Swarm.LocalNodeState}}'), { stdout: 'inactive\n', stderr: '', code: 0 });
    assert.ok(!agent.output().includes('Binding to IP address'));
  });

  it("takes over a stale socket after a crash, on restart", async () => {
    const agent = agents[0]!;
    process.kill(agent.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(statSync(path.join(agent.dataDir, 'docker.sock')).isSocket(), 'the killed agent left its socket');
    await agent.restart();
    assert.equal((await agent.docker('version', '--format', '{{.Server.APIVersion}}')).stdout, '1.47\n');
  });

  it("listens on loopback TCP with --port, with dockerd's warnings", async () => {
    const agent = await startAgent({ tcp: true });
    agents.push(agent);
    assert.equal((await agent.docker('version', '--format', '{{.Server.APIVersion}}')).stdout, '1.47\n');
    const host = `host="tcp://127.0.0.1:${agent.port}"`;
    assert.ok(messages(agent.output()).includes(`${WARNING_1}  ${host}`), agent.output());
    assert.ok(messages(agent.output()).includes(`${WARNING_2}  ${host}`));
  });

  it('refuses --host 0.0.0.0 without TLS before binding, and serves TLS with client certificates', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-agent-tls-'));
    try {
      const agentMain = fileURLToPath(new URL('../apps/agent/src/main.js', import.meta.url));
      const refused = spawnSync(process.execPath, [agentMain, '--data', path.join(data, 'd'), '--port', '2385', '--host', '0.0.0.0'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /^--host\/--port=tcp:\/\/0\.0\.0\.0:2385: refusing to serve the Engine API without TLS on 0\.0\.0\.0, which is not a loopback address/);
      const certs = writeCerts(data);
      const tlsArgs = ['--tlscacert', `${certs.server}/ca.pem`, '--tlscert', `${certs.server}/cert.pem`, '--tlskey', `${certs.server}/key.pem`];
      const agent = await startAgent({ tcp: true, args: tlsArgs });
      agents.push(agent);
      const withCerts = await runDocker(agent.dockerHost, ['version', '--format', '{{.Server.APIVersion}}'], undefined, { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client });
      assert.deepEqual(withCerts, { stdout: '1.47\n', stderr: '', code: 0 });
      const noCert = await runDocker(agent.dockerHost, ['--tlsverify', '--tlscacert', `${certs.client}/ca.pem`, 'ps'], undefined, {});
      assert.equal(noCert.code, 1);
      assert.match(noCert.stderr, /remote error: tls: certificate required\n$/);
      assert.equal((await runDocker(agent.dockerHost, ['ps'])).stderr, 'Error response from daemon: Client sent an HTTP request to an HTTPS server.\n');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
