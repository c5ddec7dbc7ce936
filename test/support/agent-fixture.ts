import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { SwarmPortPaths, type JoinReply, type JoinRequest, type NodeRole, type RenewReply } from '#contracts';
import { caDigestBase36, formatJoinToken, secretBase36 } from '#domain';
import { createRootCa, generateNodeKeyAndCsr, issueNodeCertificate, parseCsr, type RootCa } from '#pki';
import { freePort } from '#testing';
import { engineRequest, type EngineResponse } from './engine-request.js';
import { runDocker, type CliResult } from './stack-fixture.js';

export interface AgentFixture {
  /** DOCKER_HOST for the docker CLI: `unix://<dataDir>/docker.sock` (default) or `tcp://127.0.0.1:<port>`. */
  readonly dockerHost: string;
  /** The TCP port with `{ tcp: true }`, else 0. */
  readonly port: number;
  readonly dataDir: string;
  /** The running agent process's PID. */
  readonly pid: number;
  docker(...args: string[]): Promise<CliResult>;
  /** Raw HTTP against the agent's Engine API. */
  api(method: string, urlPath: string, body?: unknown): Promise<EngineResponse>;
  /** What the agent printed so far (all of its runs). */
  output(): string;
  /** Stops the agent (by PID) and starts it again on the same socket or port and data dir. */
  restart(): Promise<void>;
  /** Stops the agent by PID and removes its data dir. */
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('../../apps/agent/src/main.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * An agent (`node dist/apps/agent/src/main.js --data D`) with a temporary data dir, its Engine API
 * on `D/docker.sock`, or with `tcp` on a free loopback port (`--port P`).
 * `joinTimeoutS` defaults to 1 s here (the agent's own default is the Engine's 10 s) so that tests
 * of unreachable managers do not wait 10 s each; a test of redialling passes more.
 */
export async function startAgent(options: { hostname?: string; joinTimeoutS?: number; tcp?: boolean; args?: readonly string[] } = {}): Promise<AgentFixture> {
  const port = options.tcp ? await freePort() : 0;
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'swarmplane-agent-')), 'data');
  const dockerHost = options.tcp ? `tcp://127.0.0.1:${port}` : `unix://${path.join(dataDir, 'docker.sock')}`;
  const log = { text: '' };
  const args = [
    ...(options.tcp ? ['--port', String(port)] : []), '--data', dataDir, '--join-timeout', String(options.joinTimeoutS ?? 1),
    ...(options.hostname ? ['--hostname', options.hostname] : []),
    ...(options.args ?? []),
  ];
  let child = await launch(args, log);
  return {
    dockerHost,
    port,
    dataDir,
    get pid() {
      return child.pid ?? 0;
    },
    docker: (...cli) => runDocker(dockerHost, cli),
    api: (method, urlPath, body) => engineRequest(dockerHost, method, urlPath, body, typeof body === 'string' ? { 'Content-Type': 'application/json' } : {}),
    output: () => log.text,
    async restart() {
      await stopProcess(child);
      child = await launch(args, log);
    },
    async stop() {
      await stopProcess(child);
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}

function launch(args: readonly string[], log: { text: string }): Promise<ChildProcess> {
  const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const from = log.text.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopProcess(child);
      reject(new Error(`the agent did not start within ${START_TIMEOUT_MS} ms:\n${log.text}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      log.text += chunk.toString();
      if (log.text.slice(from).includes('Engine API listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the agent exited with ${code}:\n${log.text}`));
    });
  });
}

/** SIGTERM to the PID, SIGKILL if it has not exited after a while. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = setTimeout(() => process.kill(pid, 'SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    process.kill(pid, 'SIGTERM');
  });
}

/** A node as the fake swarm port sees it. */
export interface FakeNode {
  role: NodeRole;
  heartbeats: number;
  renewals: number;
  left: boolean;
}

/** An Engine API answer the fake control plane gives a manager agent. */
export type FakeEngine = (method: string, url: string, body: string, res: ServerResponse) => void;

/**
 * A stand-in for the manager's swarm port (libs/contracts/src/swarm-port/protocol.ts), with its own
 * CA: tests of the agent's side of the protocol that need no NATS and no gateway.
 */
export class FakeSwarmPort {
  readonly ca: RootCa = createRootCa(new Date());
  readonly nodes = new Map<string, FakeNode>();
  /** `METHOD path` of every request, with ` as <node ID>` when a node certificate came with it. */
  readonly requests: string[] = [];
  readonly secrets = { worker: secretBase36(randomBytes(16)), manager: secretBase36(randomBytes(16)) };
  heartbeatPeriodMs = 200;
  /** Validity of the certificates a join hands out (swarmkit backdates them by an hour). */
  joinCertExpiryMs = 90 * 24 * 3600_000;
  removed = new Set<string>();
  /** TLS connections accepted so far (keep-alive shows as few connections for many requests). */
  connections = 0;
  engine: FakeEngine = (_method, _url, _body, res) => json(res, 200, {});
  private server: https.Server | undefined;
  private nextId = 1;
  addr = '';

  /** `impostorTls`: the port hands out the right CA but serves a certificate another CA signed (a man in the middle). */
  constructor(private readonly options: { impostorTls?: boolean } = {}) {}

  token(role: NodeRole): string {
    return formatJoinToken(caDigestBase36(this.ca.certPem), this.secrets[role]);
  }

  async start(): Promise<this> {
    const { keyPem } = generateNodeKeyAndCsr();
    const signer = this.options.impostorTls ? createRootCa(new Date()) : this.ca;
    const { certPem } = this.issue('fakemanager0000000000000', 'manager', createPrivateKey(keyPem), undefined, signer);
    const server = https.createServer({ key: keyPem, cert: certPem, ca: this.ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      void this.handle(req, res).catch((error: Error) => json(res, 500, { message: error.message }));
    });
    server.on('secureConnection', () => this.connections++);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.addr = `127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket as TLSSocket;
    const caller = socket.authorized ? (socket.getPeerCertificate().subject?.CN as string | undefined) : undefined;
    const url = req.url ?? '/';
    this.requests.push(`${req.method} ${url}${caller ? ` as ${caller}` : ''}`);
    const body = await readText(req);
    if (req.method === 'GET' && url === SwarmPortPaths.rootCa) return void text(res, this.ca.certPem);
    if (req.method === 'POST' && url === SwarmPortPaths.join) return this.join(JSON.parse(body) as JoinRequest, res);
    const node = caller ? this.nodes.get(caller) : undefined;
    if (!caller || !node || this.removed.has(caller)) return json(res, 403, { message: 'a valid node certificate of this swarm is required' });
    if (url.startsWith(`${SwarmPortPaths.enginePrefix}/`)) {
      if (node.role !== 'manager') return json(res, 403, { message: 'only managers may use the control plane' });
      return this.engine(req.method ?? 'GET', url.slice(SwarmPortPaths.enginePrefix.length), body, res);
    }
    if (url === SwarmPortPaths.heartbeat) {
      node.heartbeats++;
      return json(res, 200, { role: node.role, managers: [{ NodeID: 'fakemanager0000000000000', Addr: this.addr }], heartbeatPeriodMs: this.heartbeatPeriodMs });
    }
    if (url === SwarmPortPaths.renew) {
      node.renewals++;
      const { csrPem } = JSON.parse(body) as { csrPem: string };
      const reply: RenewReply = { certPem: this.issue(caller, node.role, parseCsr(csrPem).publicKeyPem).certPem, role: node.role };
      return json(res, 200, reply);
    }
    if (url === SwarmPortPaths.leave) {
      node.left = true;
      return json(res, 200, {});
    }
    json(res, 404, { message: 'page not found' });
  }

  private join(request: JoinRequest, res: ServerResponse): void {
    const role = (['worker', 'manager'] as const).find((r) => request.token === this.token(r));
    if (!role) return json(res, 400, { message: 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster' });
    const nodeId = `fakenode${String(this.nextId++).padStart(17, '0')}`;
    this.nodes.set(nodeId, { role, heartbeats: 0, renewals: 0, left: false });
    const { certPem } = this.issue(nodeId, role, parseCsr(request.csrPem).publicKeyPem, this.joinCertExpiryMs);
    const reply: JoinReply = {
      nodeId,
      clusterId: 'fakecluster00000000000000',
      role,
      certPem,
      caPem: this.ca.certPem,
      managers: [{ NodeID: 'fakemanager0000000000000', Addr: this.addr }],
      heartbeatPeriodMs: this.heartbeatPeriodMs,
      nodeAddr: '127.0.0.1',
    };
    json(res, 200, reply);
  }

  private issue(nodeId: string, role: NodeRole, publicKey: string | KeyObject, expiryMs = 90 * 24 * 3600_000, ca = this.ca): { certPem: string } {
    return issueNodeCertificate({
      caCertPem: ca.certPem,
      caKeyPem: ca.keyPem,
      subjectPublicKey: publicKey,
      nodeId,
      role,
      clusterId: 'fakecluster00000000000000',
      now: new Date(),
      expiryMs,
    });
  }
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(value)}\n`);
}

function text(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
