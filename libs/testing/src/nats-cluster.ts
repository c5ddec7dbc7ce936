/**
 * A private three-node (or n-node) nats-server cluster with JetStream for tests: every node on
 * its own free loopback client and route ports, with its own temporary store directory and a
 * config file (server_name, cluster name, routes to every node). A node can be stopped and
 * started again on the same ports and store, by its handle; processes are killed by PID only.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { freePort, launchNatsServer, type NatsProcess } from './nats-server.js';

export interface StartNatsClusterOptions {
  /** Number of nodes. Default 3. */
  readonly size?: number;
  /** How long to wait for JetStream to answer on every node. Default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface NatsClusterNode {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly routePort: number;
  readonly storeDir: string;
  /** PID of the current process, undefined while stopped. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGKILL (a crash, the default) or SIGTERM; waits for the exit. Keeps the store. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the node again with the same name, ports and store; waits until it accepts clients. */
  start(): Promise<void>;
}

export interface NatsClusterHandle {
  readonly nodes: readonly NatsClusterNode[];
  /** Every client URL, comma-separated (the form of NATS_URL). */
  readonly url: string;
  readonly servers: string[];
  /** Resolves once JetStream answers through every running node (a meta leader is elected). */
  waitForJetStream(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes the stores. Idempotent. */
  stop(): Promise<void>;
}

export async function startNatsCluster(opts: StartNatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const size = opts.size ?? 3;
  const root = await mkdtemp(join(tmpdir(), 'nats-cluster-'));
  const clusterName = `test-${root.slice(-6).replace(/[^A-Za-z0-9]/g, 'x')}`;
  const ports = await distinctFreePorts(size * 2);
  const routes = ports.slice(size).map((p) => `nats-route://127.0.0.1:${p}`);
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < size; i++) {
    const name = `n${i + 1}`;
    const storeDir = join(root, name);
    await mkdir(storeDir, { recursive: true });
    const configFile = join(root, `${name}.conf`);
    await writeFile(configFile, nodeConfig({ name, clusterName, port: ports[i]!, routePort: ports[size + i]!, storeDir, routes }));
    nodes.push(new ClusterNode(name, ports[i]!, ports[size + i]!, storeDir, configFile));
  }
  const handle: NatsClusterHandle = {
    nodes,
    servers: nodes.map((n) => n.url),
    url: nodes.map((n) => n.url).join(','),
    waitForJetStream: (timeoutMs = opts.startTimeoutMs ?? 30_000) =>
      Promise.all(nodes.filter((n) => n.running).map((n) => waitForJetStream(n.url, timeoutMs))).then(() => undefined),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await handle.waitForJetStream();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

class ClusterNode implements NatsClusterNode {
  private process: NatsProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly routePort: number,
    readonly storeDir: string,
    private readonly configFile: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  async start(): Promise<void> {
    if (this.process) return;
    this.process = await launchNatsServer(['-c', this.configFile], this.port, 15_000);
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    const process = this.process;
    this.process = undefined;
    await process?.kill(signal);
  }
}

function nodeConfig(n: { name: string; clusterName: string; port: number; routePort: number; storeDir: string; routes: string[] }): string {
  return [
    `server_name: ${n.name}`,
    `listen: 127.0.0.1:${n.port}`,
    `jetstream { store_dir: ${JSON.stringify(n.storeDir)}, max_memory_store: 268435456, max_file_store: 1073741824 }`,
    'cluster {',
    `  name: ${n.clusterName}`,
    `  listen: 127.0.0.1:${n.routePort}`,
    `  routes: [${n.routes.map((r) => JSON.stringify(r)).join(', ')}]`,
    '}',
    '',
  ].join('\n');
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Asks JetStream for the account info through `url` until it answers (bounded). */
async function waitForJetStream(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
    for (;;) {
      try {
        await jsm.getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`JetStream on ${url} not ready within ${timeoutMs} ms`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await nc.close();
  }
}
