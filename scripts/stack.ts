import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The processes of the stack, in start order; the gateway comes last. */
export const SERVICES = ['ca-service', 'token-service', 'ipam-service', 'node-service'] as const;

export interface StackOptions {
  readonly natsUrl: string;
  readonly dataDir: string;
  /** host:port of the Engine API. */
  readonly gatewayAddr: string;
  /** Extra environment for every process (e.g. SWARM_DEFAULT_ADVERTISE_ADDR). */
  readonly env?: Record<string, string>;
  /** Where process output goes: inherit (npm start) or a log file per process. */
  readonly logDir?: string;
  readonly replicas?: number;
  /**
   * More gateways, one per host:port, beside the one on `gatewayAddr` (replica 0). They share the
   * log; the first to bind the swarm port serves it, the others take it over when it frees.
   */
  readonly moreGatewayAddrs?: readonly string[];
  /**
   * host:port of the dashboard, served by the gateway on `gatewayAddr` (the others serve none);
   * absent: no dashboard (`DASHBOARD_ADDR=off`), so that benchmarks and tests never race for 2380.
   */
  readonly dashboardAddr?: string;
}

export interface RunningStack {
  readonly processes: Map<string, ChildProcess[]>;
  /** Stops one app's processes (by PID) and starts them again. */
  restart(app: string): Promise<void>;
  /** Kills replica `index` of an app by PID (SIGKILL: a crash) and starts a new one in its place. */
  restartReplica(app: string, index: number): Promise<void>;
  stop(): Promise<void>;
  /** `http://host:port/?token=...` when a dashboard was asked for. */
  readonly dashboardUrl: string | undefined;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes the key-encryption key (32 random bytes, hex, mode 0600) once, before any service reads it. */
export function ensureKek(file: string): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * The dashboard's access token (32 random bytes, hex, mode 0600), made once; the gateway reads the
 * same file (DASHBOARD_TOKEN_FILE) and `npm start` prints it in the dashboard's URL.
 */
export function ensureDashboardToken(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const kekFile = path.join(options.dataDir, 'kek');
  ensureKek(kekFile);
  const tokenFile = path.join(options.dataDir, 'dashboard-token');
  const dashboardToken = options.dashboardAddr ? ensureDashboardToken(tokenFile) : undefined;
  const env = {
    ...process.env,
    NATS_URL: options.natsUrl,
    SWARM_KEK_FILE: kekFile,
    GATEWAY_ADDR: options.gatewayAddr,
    DASHBOARD_ADDR: options.dashboardAddr ?? 'off',
    DASHBOARD_TOKEN_FILE: tokenFile,
    ...options.env,
  };
  const processes = new Map<string, ReadyChild[]>();
  const gatewayAddrs = [options.gatewayAddr, ...(options.moreGatewayAddrs ?? [])];
  const spawnReplica = (app: string, i: number): ReadyChild =>
    spawnApp(
      app,
      app === 'gateway' ? { ...env, GATEWAY_ADDR: gatewayAddrs[i], ...(i > 0 ? { DASHBOARD_ADDR: 'off' } : {}) } : env,
      options.logDir ? path.join(options.logDir, `${app}-${i}.log`) : undefined,
    );
  const launch = (app: string): ReadyChild[] => {
    const count = app === 'gateway' ? gatewayAddrs.length : (options.replicas ?? 1);
    const children = Array.from({ length: count }, (_, i) => spawnReplica(app, i));
    processes.set(app, children);
    return children;
  };
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  const stopAll = async (): Promise<void> => {
    await Promise.all([...processes.values()].flat().map(stopChild));
  };
  try {
    await waitReady(SERVICES.flatMap((app) => launch(app)));
    await waitReady(launch('gateway'));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    processes,
    dashboardUrl: dashboardToken ? `http://${options.dashboardAddr}/?token=${dashboardToken}` : undefined,
    async restart(app: string) {
      await Promise.all((processes.get(app) ?? []).map(stopChild));
      await waitReady(launch(app));
    },
    async restartReplica(app: string, index: number) {
      const children = processes.get(app);
      const old = children?.[index];
      if (!children || !old) throw new Error(`no replica ${index} of ${app}`);
      await signalChild(old, 'SIGKILL');
      const fresh = spawnReplica(app, index);
      children[index] = fresh;
      await waitReady([fresh]);
    },
    async stop() {
      const gateway = processes.get('gateway') ?? [];
      await Promise.all(gateway.map(stopChild));
      await Promise.all([...processes.entries()].filter(([name]) => name !== 'gateway').flatMap(([, c]) => c.map(stopChild)));
    },
  };
}

/** Every app prints this line once it serves requests (see libs/runtime and apps/gateway). */
const READY = /listening on NATS|Engine API listening/;

function spawnApp(app: string, env: NodeJS.ProcessEnv, logFile: string | undefined): ReadyChild {
  const entry = path.join(root, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] }) as ReadyChild;
  const sink = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  let tail = '';
  child.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-1500);
      if (sink) sink.write(chunk);
      else process.stdout.write(chunk);
      if (READY.test(chunk.toString())) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${app} exited with code ${code} before it was ready:\n${tail}`)));
  });
  child.ready.catch(() => undefined);
  return child;
}

export interface ReadyChild extends ChildProcess {
  ready: Promise<void>;
}

/** SIGTERM by PID, SIGKILL after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return signalChild(child, 'SIGTERM');
}

/** `signal` by PID, SIGKILL after 5 s; resolves on exit. */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

async function waitReady(children: readonly ReadyChild[], timeoutMs = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(children.map((c) => c.ready)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
