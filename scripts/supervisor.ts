import type { ChildProcess } from 'node:child_process';

/**
 * Restarts a process that exits when nobody asked it to, as a service manager would: after a
 * delay that doubles from `initialMs` to `maxMs` while the process keeps dying young, and falls
 * back to `initialMs` once a run has lasted `resetAfterMs`. Each exit is one log line: which
 * process, its PID, why it ended (exit code or signal, and its last output lines when it died
 * before it was ready), how many restarts so far and when the next start comes.
 */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A run at least this long counts as healthy: the next crash restarts after `initialMs` again. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000, resetAfterMs: 10_000 };

export interface SupervisedOptions {
  /** Shown in the log lines, e.g. `ipam-service#0` or `nats-server`. */
  readonly name: string;
  /** Starts one process; its piped stdout/stderr are also read for the tail shown on a crash. */
  readonly spawn: () => ChildProcess;
  /** Resolves once `child` serves requests; the supervisor gives up waiting when it exits. */
  readonly ready: (child: ChildProcess) => Promise<void>;
  readonly log: (line: string) => void;
  readonly backoff?: Backoff;
  /** Called with every process started, the first included (e.g. to keep a PID table current). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** One supervised process slot: the process in it now, and the restarts it has had. */
export class Supervised {
  /** Restarts made by the supervisor after unexpected exits (not the ones asked for). */
  restarts = 0;
  private current!: ChildProcess;
  private currentReady!: Promise<void>;
  private isReady = false;
  private stopped = false;
  private quickCrashes = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private readonly backoff: Backoff;

  constructor(private readonly options: SupervisedOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.start();
  }

  get child(): ChildProcess {
    return this.current;
  }

  /** The current process's readiness: rejects, with its last output, if it exits before it is ready. */
  get ready(): Promise<void> {
    return this.currentReady;
  }

  /** Resolves with the process once one is ready in this slot: the current one or a restarted one. */
  whenReady(): Promise<ChildProcess> {
    if (this.isReady) return Promise.resolve(this.current);
    return new Promise((resolve) => this.waiters.push(() => resolve(this.current)));
  }

  /** Sends `signal` to the current process by PID, as an outsider would; the supervisor restarts it. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    const child = this.current;
    const pid = child.pid ?? -1;
    const exited = new Promise<void>((resolve) => (isRunning(child) ? child.once('exit', () => resolve()) : resolve()));
    if (isRunning(child)) process.kill(pid, signal);
    await exited;
    return pid;
  }

  /**
   * Stops the process on purpose (`signal`, default SIGTERM; SIGKILL after 5 s) and restarts
   * nothing after it.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopRestarting();
    await signalChild(this.current, signal);
  }

  /**
   * From now on an exit is final. Called at once for every process when a shutdown begins: Ctrl-C
   * reaches the whole process group, and a process that ends on it before its turn to be stopped
   * must not be started again.
   */
  stopRestarting(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.waiters = [];
  }

  private start(): void {
    const child = this.options.spawn();
    const startedAt = Date.now();
    const tail = new OutputTail(child);
    this.current = child;
    this.isReady = false;
    this.options.onSpawn?.(child);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A process that could not be started at all (ENOENT, EACCES) emits no 'exit'.
      child.on('error', (error) => child.pid === undefined && resolve({ code: null, signal: null, error }));
    });
    this.currentReady = Promise.race([
      this.options.ready(child),
      exit.then(({ code, signal, error }) => {
        throw new Error(`${this.options.name} ${describeExit(code, signal, error)} before it was ready:\n${tail.text()}`);
      }),
    ]);
    this.currentReady.then(
      () => this.onReady(child),
      () => undefined,
    );
    void exit.then(({ code, signal, error }) => {
      this.onExit(child, Date.now() - startedAt, describeExit(code, signal, error), tail);
    });
  }

  private onReady(child: ChildProcess): void {
    if (child !== this.current || !isRunning(child)) return;
    this.isReady = true;
    if (this.restarts > 0) this.options.log(`${this.options.name} is ready again as pid ${child.pid} (restart ${this.restarts})`);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private onExit(child: ChildProcess, upMs: number, why: string, tail: OutputTail): void {
    const wasReady = this.isReady;
    this.isReady = false;
    if (this.stopped || child !== this.current) return;
    if (upMs >= this.backoff.resetAfterMs) this.quickCrashes = 0;
    const delay = Math.min(this.backoff.initialMs * 2 ** this.quickCrashes, this.backoff.maxMs);
    this.quickCrashes++;
    this.restarts++;
    const output = wasReady ? '' : `; it was not ready yet, its last output: ${JSON.stringify(tail.lastLines(5))}`;
    this.options.log(
      `${this.options.name} (pid ${child.pid ?? 'none'}) ${why} after ${(upMs / 1000).toFixed(1)} s, not asked to: ` +
        `restart ${this.restarts} in ${delay} ms${output}`,
    );
    this.timer = setTimeout(() => {
      if (!this.stopped) this.start();
    }, delay);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, error?: Error): string {
  if (error) return `could not start (${error.message})`;
  return signal ? `was ended by ${signal}` : `exited with code ${code}`;
}

/** The last output of a process (stdout and stderr interleaved), kept for its crash report. */
class OutputTail {
  private buffer = '';

  constructor(child: ChildProcess) {
    const keep = (chunk: Buffer): void => {
      this.buffer = (this.buffer + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  text(): string {
    return this.buffer.slice(-1500);
  }

  lastLines(count: number): string[] {
    return this.buffer.split('\n').filter((line) => line.trim() !== '').slice(-count);
  }
}

export function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** SIGTERM by PID, SIGKILL after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return signalChild(child, 'SIGTERM');
}

/** `signal` by PID, SIGKILL after 5 s; resolves on exit. */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Resolves once `child` prints a line matching `pattern` on stdout or stderr. */
export function outputMatches(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      if (!pattern.test(chunk.toString())) return;
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}
