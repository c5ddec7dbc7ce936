import type { BenchStack } from './stack.js';

/** What `npm run bench -- <suite>` is given: options, output and a cleanup-aware stack starter. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** The private temp dir of this run (docker CLI config etc.), removed at exit. */
  readonly tempDir: string;
  /** `REF_DOCKER_HOST`, when set: a reference Docker Engine to measure side by side. */
  readonly referenceDockerHost: string | undefined;
  /** wrk's version when it is installed and not disabled. */
  readonly wrk: string | undefined;
  /** Starts nats-server and the stack; stopped at exit (also on failure or Ctrl-C). */
  startStack(env?: Record<string, string>): Promise<BenchStack>;
  /** Registers a cleanup, run in reverse order at exit. */
  defer(cleanup: () => Promise<void> | void): void;
  /** A progress line on stderr (the table and JSON go to stdout). */
  progress(message: string): void;
  print(text: string): void;
  /** Throws when the run has been going for longer than the global limit. */
  checkDeadline(): void;
}

export interface BenchOptions {
  /** Samples per latency measurement. */
  readonly runs: number;
  /** Seconds per throughput measurement. */
  readonly durationS: number;
  readonly connections: readonly number[];
  /** Whether `--connections` was given (suites with their own default levels use them only then). */
  readonly connectionsGiven: boolean;
  /** `--count N`: how many operations a suite does, when it takes a count (networks, join). */
  readonly count: number | undefined;
  /** `--warmup N`: unmeasured operations before each measured level (join). */
  readonly warmup: number | undefined;
  /** `--profile`: CPU profiles of the stack's processes during the measurement (join). */
  readonly profile: boolean;
  /** Run the docker CLI measurements. */
  readonly cli: boolean;
}

/** A suite measures and prints its tables; its figures go into the final JSON line. */
export interface Suite {
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

export interface SuiteEntry {
  readonly summary: string;
  readonly load: () => Promise<Suite>;
}
