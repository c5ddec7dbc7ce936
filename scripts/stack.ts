import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputMatches, Supervised, type Backoff } from './supervisor.js';

export { signalChild, stopChild } from './supervisor.js';

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
  /** Delays between restarts of a process that exits unasked (default: 250 ms doubling to 10 s). */
  readonly backoff?: Backoff;
  /** Where the supervisor's lines go; default `supervisorLog(logDir)`. */
  readonly log?: (line: string) => void;
  /**
   * host:port of the dashboard, served by the gateway on `gatewayAddr` (the others serve none);
   * absent: no dashboard (`DASHBOARD_ADDR=off`), so that benchmarks and tests never race for 2380.
   */
  readonly dashboardAddr?: string;
}

export interface RunningStack {
  /** The current process of each replica, per app; kept current when the supervisor restarts one. */
  readonly processes: Map<string, ChildProcess[]>;
  /** Stops one app's processes (by PID) and starts them again. */
  restart(app: string): Promise<void>;
  /** Kills replica `index` of an app by PID (SIGKILL: a crash) and starts a new one in its place. */
  restartReplica(app: string, index: number): Promise<void>;
  /**
   * Sends `signal` (SIGKILL unless given) to replica `index` of an app by PID, as a crash or an
   * operator would, and leaves the restart to the supervisor. Resolves with the PID once it exited.
   */
  kill(app: string, index: number, signal?: NodeJS.Signals): Promise<number>;
  /** Resolves with the replica's process once one is ready (after a crash: the restarted one). */
  whenReady(app: string, index: number): Promise<ChildProcess>;
  /** How many times the supervisor has restarted the replica (restarts asked for do not count). */
  restarts(app: string, index: number): number;
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
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  const log = options.log ?? supervisorLog(options.logDir);
  const slots = new Map<string, Supervised[]>();
  const processes = new Map<string, ChildProcess[]>();
  const gatewayAddrs = [options.gatewayAddr, ...(options.moreGatewayAddrs ?? [])];
  // A restarted gateway replica keeps its own address: the slot, not the process, owns it.
  const superviseReplica = (app: string, i: number): Supervised =>
    new Supervised({
      name: `${app}#${i}`,
      spawn: () =>
        spawnApp(app, app === 'gateway' ? { ...env, GATEWAY_ADDR: gatewayAddrs[i], ...(i > 0 ? { DASHBOARD_ADDR: 'off' } : {}) } : env, options.logDir ? path.join(options.logDir, `${app}-${i}.log`) : undefined),
      ready: (child) => outputMatches(child, READY),
      log,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      onSpawn: (child) => {
        const current = processes.get(app) ?? [];
        current[i] = child;
        processes.set(app, current);
      },
    });
  const launch = (app: string): Supervised[] => {
    const count = app === 'gateway' ? gatewayAddrs.length : (options.replicas ?? 1);
    const replicas = Array.from({ length: count }, (_, i) => superviseReplica(app, i));
    slots.set(app, replicas);
    return replicas;
  };
  const slot = (app: string, index: number): Supervised => {
    const found = slots.get(app)?.[index];
    if (!found) throw new Error(`no replica ${index} of ${app}`);
    return found;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all([...slots.values()].flat().map((s) => s.stop()));
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
      await Promise.all((slots.get(app) ?? []).map((s) => s.stop()));
      await waitReady(launch(app));
    },
    async restartReplica(app: string, index: number) {
      await slot(app, index).stop('SIGKILL');
      const fresh = superviseReplica(app, index);
      slots.get(app)![index] = fresh;
      await waitReady([fresh]);
    },
    kill: (app, index, signal = 'SIGKILL') => slot(app, index).kill(signal),
    whenReady: (app, index) => slot(app, index).whenReady(),
    restarts: (app, index) => slot(app, index).restarts,
    async stop() {
      for (const replica of [...slots.values()].flat()) replica.stopRestarting();
      // The gateway first, so that no request reaches a service that is stopping.
      await Promise.all((slots.get('gateway') ?? []).map((s) => s.stop()));
      await stopAll();
    },
  };
}

/** Every app prints this line once it serves requests (see libs/service-host and apps/gateway). */
const READY = /listening on NATS|Engine API listening/;

/** The supervisor's lines, time-stamped, on stderr and, with a `logDir`, in `supervisor.log` there. */
export function supervisorLog(logDir?: string): (line: string) => void {
  if (logDir) mkdirSync(logDir, { recursive: true });
  const file = logDir ? createWriteStream(path.join(logDir, 'supervisor.log'), { flags: 'a' }) : undefined;
  return (line) => {
    const stamped = `${new Date().toISOString()} supervisor: ${line}\n`;
    file?.write(stamped);
    process.stderr.write(stamped);
  };
}

/** Starts one app; its output goes to `logFile` when given, else to this process's stdout. */
function spawnApp(app: string, env: NodeJS.ProcessEnv, logFile: string | undefined): ChildProcess {
  const entry = path.join(root, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sink = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const forward = (chunk: Buffer): void => void (sink ? sink.write(chunk) : process.stdout.write(chunk));
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  child.once('close', () => sink?.end());
  return child;
}

async function waitReady(replicas: readonly Supervised[], timeoutMs = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(replicas.map((r) => r.ready)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
