import type { RawConnection, RawResponse } from './raw-request.js';
import { percentile, round } from './stats.js';

export interface LoopOptions {
  /** Operations to run in all (bounded). */
  readonly count: number;
  /** Stop starting new operations after this long. */
  readonly timeLimitMs: number;
  /** Stop after this many errors (0: go on). */
  readonly maxErrors: number;
  /** Builds request i (0-based): method, path and body. */
  readonly request: (i: number) => { method: string; path: string; body?: string | Buffer };
  /** Whether an answer is a success. */
  readonly ok: (response: RawResponse) => boolean;
  /** Called with each successful answer and its index (e.g. to keep IDs); keep it cheap. */
  readonly onOk?: (response: RawResponse, i: number) => void;
  /** Called every `progressEvery` completions. */
  readonly progress?: (done: number, elapsedMs: number) => void;
  readonly progressEvery?: number;
}

export interface LoopResult {
  /** Operations completed (ok or not). */
  readonly done: number;
  readonly ok: number;
  readonly errors: number;
  readonly elapsedMs: number;
  /** Completion times since the start, ms, in completion order (length `done`). */
  readonly doneAt: Float64Array;
  /** Latency of each completed operation, ms, in completion order. */
  readonly latencies: Float64Array;
  readonly firstError?: string;
  /** Whether the loop stopped early (time limit or too many errors). */
  readonly stoppedEarly?: string;
}

/**
 * Closed loop over `connections` (one operation in flight on each), taking operations 0..count-1
 * from a shared counter. Bounded by count, time and error count.
 */
export function closedLoop(connections: readonly RawConnection[], options: LoopOptions): Promise<LoopResult> {
  return runLoop(connections, options, undefined);
}

/**
 * The loop both kinds share. Without a rate, each connection sends its next operation when the
 * last one answered and latency counts from the send; with a rate, operation i is due at
 * `start + i / rate` and latency counts from the due time.
 */
async function runLoop(
  connections: readonly RawConnection[],
  options: LoopOptions,
  ratePerSecond: number | undefined,
): Promise<LoopResult & { lateStarts: number }> {
  const doneAt = new Float64Array(options.count);
  const latencies = new Float64Array(options.count);
  const interval = ratePerSecond === undefined ? undefined : 1000 / ratePerSecond;
  let next = 0;
  let done = 0;
  let ok = 0;
  let errors = 0;
  let lateStarts = 0;
  let firstError: string | undefined;
  let stoppedEarly: string | undefined;
  const every = options.progressEvery ?? 0;
  const start = performance.now();
  const worker = async (connection: RawConnection): Promise<void> => {
    while (next < options.count && stoppedEarly === undefined) {
      if (performance.now() - start > options.timeLimitMs) {
        stoppedEarly ??= `time limit of ${options.timeLimitMs / 1000} s`;
        break;
      }
      const i = next++;
      let from = performance.now();
      if (interval !== undefined) {
        from = start + i * interval;
        const wait = from - performance.now();
        if (wait > 0.5) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (wait < -1) lateStarts++;
      }
      const { method, path, body } = options.request(i);
      let response: RawResponse | undefined;
      try {
        response = await connection.request(method, path, body);
      } catch (error) {
        firstError ??= (error as Error).message;
      }
      const now = performance.now();
      latencies[done] = now - from;
      doneAt[done++] = now - start;
      if (response && options.ok(response)) {
        ok++;
        options.onOk?.(response, i);
      } else {
        errors++;
        if (response) firstError ??= `HTTP ${response.status}: ${response.body.toString('utf8').trim().slice(0, 300)}`;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (options.maxErrors > 0 && errors >= options.maxErrors) stoppedEarly ??= `${errors} errors`;
      if (every > 0 && done % every === 0) options.progress?.(done, performance.now() - start);
    }
  };
  await Promise.all(connections.map(worker));
  return {
    done,
    ok,
    errors,
    lateStarts,
    elapsedMs: performance.now() - start,
    doneAt: doneAt.subarray(0, done),
    latencies: latencies.subarray(0, done),
    ...(firstError === undefined ? {} : { firstError }),
    ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
  };
}

/** Operations per second over completions [from, to) of a loop (by completion time). */
export function windowRate(doneAt: Float64Array, from: number, to: number): number {
  const n = Math.min(to, doneAt.length) - from;
  if (n <= 0) return Number.NaN;
  const begin = from === 0 ? 0 : (doneAt[from - 1] ?? 0);
  const end = doneAt[from + n - 1] ?? Number.NaN;
  return n / ((end - begin) / 1000);
}

/** Seconds taken by completions [from, to). */
export function windowSeconds(doneAt: Float64Array, from: number, to: number): number {
  const begin = from === 0 ? 0 : (doneAt[from - 1] ?? 0);
  return ((doneAt[Math.min(to, doneAt.length) - 1] ?? Number.NaN) - begin) / 1000;
}

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export function latencySummary(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: round(sorted.length ? sum / sorted.length : Number.NaN),
  };
}

/** A small deterministic PRNG (mulberry32), for reproducible random choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PacedOptions extends LoopOptions {
  /** Operations offered per second (open loop: operation i is due at start + i / rate). */
  readonly ratePerSecond: number;
}

/**
 * Open loop: operation i is due at `start + i / rate`; a free connection sends it at that time (or
 * as soon as one is free when all are busy). Latency counts from the due time, so waiting for a
 * connection is included (no coordinated omission up to the connections' count).
 */
export function pacedLoop(connections: readonly RawConnection[], options: PacedOptions): Promise<LoopResult & { lateStarts: number }> {
  return runLoop(connections, options, options.ratePerSecond);
}
