/**
 * Starts a private nats-server for integration tests: its own free port on 127.0.0.1, its own
 * temporary JetStream store directory, stopped by its PID. Never uses the default port 4222, so
 * it cannot collide with (or kill) a server someone else runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartNatsServerOptions {
  /** Enable JetStream (`-js -sd <dir>`). Default true. */
  readonly jetstream?: boolean;
  /** How long to wait for the server to accept connections. Default 10 s. */
  readonly startTimeoutMs?: number;
  /**
   * This port and store directory instead of fresh ones, e.g. to restart a stopped server with
   * its data. The directory belongs to the caller: `stop()` leaves it in place.
   */
  readonly at?: { readonly port: number; readonly storeDir: string };
}

export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The store directory, removed by `stop()` unless it was given in `at`. */
  readonly storeDir: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; removes the store directory (unless given in `at`). Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_NATS_PORT = 4222;
const STOP_TIMEOUT_MS = 5_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A TCP port on 127.0.0.1 that was free a moment ago (never 4222). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const p = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (port !== 0 && port !== DEFAULT_NATS_PORT) return port;
  }
}

export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  // The free port can be taken between freePort() and the server's bind: retry a few times.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(opts: StartNatsServerOptions): Promise<NatsServerHandle> {
  const port = opts.at?.port ?? (await freePort());
  const storeDir = opts.at?.storeDir ?? (await mkdtemp(join(tmpdir(), 'nats-test-')));
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (opts.jetstream ?? true) args.push('-js', '-sd', storeDir);
  let process: NatsProcess;
  try {
    process = await launchNatsServer(args, port, opts.startTimeoutMs ?? 10_000);
  } catch (err) {
    if (!opts.at) await rm(storeDir, { recursive: true, force: true });
    throw err;
  }
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await process.kill('SIGTERM');
      if (!opts.at) await rm(storeDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return { url: `nats://127.0.0.1:${port}`, port, storeDir, pid: process.pid, stop };
}

/** A running nats-server process, killed by its PID only. */
export interface NatsProcess {
  readonly pid: number;
  /** Sends `signal` (SIGKILL after 5 s if it is still running) and waits for the exit. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** The last 8 KiB of its output. */
  output(): string;
}

/** Spawns nats-server with `args` and waits until it accepts connections on `port`. */
export async function launchNatsServer(args: readonly string[], port: number, startTimeoutMs: number): Promise<NatsProcess> {
  const bin = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8_192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  running.add(child);
  installExitHook();
  void exited.then(() => running.delete(child));
  const kill = (sig: 'SIGTERM' | 'SIGKILL'): Promise<void> => killAndWait(child, exited, sig);
  try {
    await waitUntilAccepting(port, child, exited, startTimeoutMs, () => output);
  } catch (err) {
    await kill('SIGKILL');
    throw err;
  }
  // Let the test process exit even if a test forgets stop(); the exit hook kills the server.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  if (child.pid === undefined) throw new Error('nats-server has no pid');
  return { pid: child.pid, kill, output: () => output };
}

async function waitUntilAccepting(
  port: number,
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.once('error', () => {
    hasExited = true;
  });
  for (;;) {
    if (hasExited) throw new Error(`nats-server exited during start:\n${output()}`);
    // JetStream is enabled before "Server is ready" is logged.
    if (output().includes('Server is ready') && (await canConnect(port))) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not start within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function killAndWait(child: ChildProcess, exited: Promise<void>, first: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  signal(pid, first);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    signal(pid, 'SIGKILL');
    await exited;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
  });
}
