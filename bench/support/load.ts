import { execFile } from 'node:child_process';
import type { Endpoint } from './engine-client.js';
import { RawConnection } from './raw-request.js';
import { percentile, round } from './stats.js';

export interface LoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  /** Hard cap on requests per measurement, whatever the duration. */
  readonly maxRequests: number;
  /** Unmeasured run first, at the same concurrency (JIT, connection setup). */
  readonly warmupMs: number;
}

export interface LoadResult {
  readonly client: 'node' | 'wrk';
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Connections the client opened during the measured phase (node client only). */
  readonly connectionsOpened?: number;
  readonly firstError?: string;
}

/**
 * Closed loop: `connections` workers, each on its own keep-alive connection, sends the next request
 * when the previous answer is read. Bounded by duration and by request count; a 200 is a success.
 */
export async function nodeLoad(endpoint: Endpoint, path: string, options: LoadOptions): Promise<LoadResult> {
  const pool = Array.from({ length: options.connections }, () => RawConnection.engine(endpoint, 10_000));
  try {
    if (options.warmupMs > 0) await runPhase(pool, path, options.warmupMs, options.maxRequests);
    const phase = await runPhase(pool, path, options.durationMs, options.maxRequests);
    const latencies = phase.latencies.subarray(0, phase.recorded).sort();
    const seconds = phase.elapsedMs / 1000;
    return {
      client: 'node',
      connections: options.connections,
      seconds: round(seconds),
      requests: phase.issued,
      ok: phase.ok,
      errors: phase.errors,
      rps: round(phase.ok / seconds),
      p50Ms: round(percentile(latencies, 50)),
      p90Ms: round(percentile(latencies, 90)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
      connectionsOpened: pool.reduce((sum, connection) => sum + connection.connectionsOpened, 0),
      ...(phase.firstError ? { firstError: phase.firstError } : {}),
    };
  } finally {
    for (const connection of pool) connection.close();
  }
}

interface Phase {
  latencies: Float64Array;
  recorded: number;
  issued: number;
  ok: number;
  errors: number;
  elapsedMs: number;
  firstError?: string;
}

async function runPhase(pool: readonly RawConnection[], path: string, durationMs: number, maxRequests: number): Promise<Phase> {
  const phase: Phase = { latencies: new Float64Array(maxRequests), recorded: 0, issued: 0, ok: 0, errors: 0, elapsedMs: 0 };
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(durationMs * 1e6));
  const worker = async (connection: RawConnection): Promise<void> => {
    while (phase.issued < maxRequests && process.hrtime.bigint() < deadline) {
      phase.issued++;
      const sent = process.hrtime.bigint();
      try {
        const { status } = await connection.request('GET', path);
        phase.latencies[phase.recorded++] = Number(process.hrtime.bigint() - sent) / 1e6;
        if (status === 200) phase.ok++;
        else {
          phase.errors++;
          phase.firstError ??= `HTTP ${status}`;
        }
      } catch (error) {
        phase.errors++;
        phase.firstError ??= (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  await Promise.all(pool.map(worker));
  phase.elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  return phase;
}

/** Debian's wrk, for TCP endpoints, as a cross-check of the node client; undefined when missing. */
export async function wrkLoad(endpoint: Endpoint, path: string, connections: number, durationS: number): Promise<LoadResult | undefined> {
  if (endpoint.kind !== 'tcp') return undefined;
  const url = `http://${endpoint.host}:${endpoint.port}${path}`;
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', '--timeout', '10s', url];
  const stdout = await new Promise<string | undefined>((resolve) => {
    execFile('wrk', args, { timeout: (durationS + 30) * 1000, killSignal: 'SIGKILL' }, (error, out) => resolve(error ? undefined : out));
  });
  if (stdout === undefined) return undefined;
  return parseWrk(stdout, connections);
}

export async function wrkVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    // `wrk -v` prints its version and usage, and exits 1.
    execFile('wrk', ['-v'], { timeout: 5000 }, (error, out) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
      const line = /wrk\s+(\S+)/.exec(out)?.[1];
      resolve(line);
    });
  });
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3, m: 60e3 };

function wrkMs(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  return match ? Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1) : Number.NaN;
}

export function parseWrk(out: string, connections: number): LoadResult {
  const requestsMatch = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const requests = Number(requestsMatch?.[1] ?? Number.NaN);
  const seconds = wrkMs(`${requestsMatch?.[2]}${requestsMatch?.[3]}`) / 1000;
  const distribution = (p: string): number => wrkMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const maxMatch = /Latency\s+\S+\s+\S+\s+(\S+)/.exec(out);
  const errors = non2xx + socketErrors;
  return {
    client: 'wrk',
    connections,
    seconds: round(seconds),
    requests,
    ok: requests - non2xx,
    errors,
    rps: round((requests - non2xx) / seconds),
    p50Ms: round(distribution('50')),
    p90Ms: round(distribution('90')),
    p99Ms: round(distribution('99')),
    maxMs: round(wrkMs(maxMatch?.[1])),
    ...(errors > 0 ? { firstError: socket ? socket[0] : `${non2xx} non-2xx responses` } : {}),
  };
}
