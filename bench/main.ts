/**
 * `npm run bench [-- <suite>] [options]`: the entry of the benchmarks (scripts/bench.mjs builds,
 * then calls runBench). Prints a header, the suite's tables, then one JSON line with every figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SUITE, SUITES } from './suites/index.js';
import { parseDockerHost } from './support/engine-client.js';
import { wrkVersion } from './support/load.js';
import { gitDescription, machineInfo } from './support/machine.js';
import { startBenchStack } from './support/stack.js';
import type { BenchContext, BenchOptions } from './support/suite.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** No run goes on longer than this, whatever the options. */
const GLOBAL_LIMIT_MS = 20 * 60_000;

const USAGE = `usage: npm run bench [-- <suite>] [--runs N] [--duration S] [--connections 1,50] [--count N] [--warmup N] [--profile] [--no-cli] [--no-wrk] [--no-build]

  --runs N          samples per latency measurement (default 20, at most 200)
  --duration S      seconds per throughput measurement (default 5, at most 60)
  --connections L   concurrent keep-alive connections, comma separated (default 1,50, each at most 256;
                    networks: the levels of its concurrency sweep, default 1,2,4,8,16,32 — one level
                    skips the sweep; join: the client counts, default 1,32)
  --count N         networks: networks to create (default 65535, all of 10.0.0.0/8 at /24 but ingress);
                    join: joins at each concurrency above 1 (default 2000; at 1 client min(N, 200))
  --warmup N        join: joins on the fresh stack before the levels, at the widest client count
                    (default 3000; 0: none), reported as the cold start: the five processes' JIT
                    warms up over the first ~2,000-3,000 joins. Each level then has max(40, 2 x clients)
                    unmeasured joins of its own
  --profile         networks, join: CPU profiles of every service process during the measured
                    windows, summarised (the .cpuprofile files are kept; slower: rates from runs without)
  --no-cli          skip the docker CLI measurements
  --no-wrk          do not use wrk even when it is installed (the node client always runs)
  --no-build        skip \`npm run build\` and run what dist/ holds

  REF_DOCKER_HOST=unix:///path/docker.sock (or tcp://127.0.0.1:port) also measures that engine,
  side by side; REF_DOCKER_PID=<pid of dockerd> adds its CPU use to the throughput table.`;

function suiteList(): string {
  return Object.entries(SUITES)
    .map(([name, entry]) => `  ${name.padEnd(10)} ${entry.summary}${name === DEFAULT_SUITE ? ' (default)' : ''}`)
    .join('\n');
}

interface Parsed {
  suite: string;
  options: BenchOptions;
  wrk: boolean;
}

class UsageError extends Error {}

function bounded(flag: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} wants an integer from ${min} to ${max}, got ${raw ?? 'nothing'}`);
  return value;
}

function parseArgs(argv: readonly string[]): Parsed {
  let suite: string | undefined;
  let runs = 20;
  let durationS = 5;
  let connections: number[] = [1, 50];
  let connectionsGiven = false;
  let count: number | undefined;
  let warmup: number | undefined;
  let profile = false;
  let cli = true;
  let wrk = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--runs':
        runs = bounded(flag, value(), 1, 200);
        break;
      case '--duration':
        durationS = bounded(flag, value(), 1, 60);
        break;
      case '--connections':
        connections = (value() ?? '').split(',').map((c) => bounded(flag, c, 1, 256));
        connectionsGiven = true;
        break;
      case '--count':
        count = bounded(flag, value(), 1, 1_000_000);
        break;
      case '--warmup':
        warmup = bounded(flag, value(), 0, 100_000);
        break;
      case '--profile':
        profile = true;
        break;
      case '--no-cli':
        cli = false;
        break;
      case '--no-wrk':
        wrk = false;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (suite !== undefined) throw new UsageError(`one suite at a time (got ${suite} and ${flag})`);
        suite = flag;
    }
  }
  return { suite: suite ?? DEFAULT_SUITE, options: { runs, durationS, connections, connectionsGiven, count, warmup, profile, cli }, wrk };
}

function commandLine(argv: readonly string[]): string {
  const env = process.env['REF_DOCKER_HOST'] ? `REF_DOCKER_HOST=${process.env['REF_DOCKER_HOST']} ` : '';
  const args = argv.length ? ` -- ${argv.join(' ')}` : '';
  return process.env['npm_lifecycle_event'] === 'bench' ? `${env}npm run bench${args}` : `${env}node scripts/bench.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`;
}

/** Runs one suite; resolves with the exit code (0 ok, 1 failure, 2 usage) after every cleanup. */
export async function runBench(argv: readonly string[], launch: { built?: boolean } = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'list') {
    console.log(`${USAGE}\n\nsuites:\n${suiteList()}`);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}\n\nsuites:\n${suiteList()}`);
    return 2;
  }
  const entry = SUITES[parsed.suite];
  if (!entry) {
    console.error(`unknown suite '${parsed.suite}'. Suites:\n${suiteList()}\n\n${USAGE}`);
    return 2;
  }
  const referenceDockerHost = process.env['REF_DOCKER_HOST'] || undefined;
  if (referenceDockerHost) {
    try {
      parseDockerHost(referenceDockerHost);
    } catch (error) {
      console.error(`REF_DOCKER_HOST: ${(error as Error).message}`);
      return 2;
    }
  }

  const started = Date.now();
  const cleanups: (() => Promise<void> | void)[] = [];
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-bench-run-'));
  cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          console.error(`cleanup: ${(error as Error).message}`);
        }
      }
    })();
    return cleaning;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping what the bench started`);
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const hardStop = setTimeout(() => {
    console.error(`bench: over ${GLOBAL_LIMIT_MS / 60_000} min, stopping`);
    void cleanup().then(() => process.exit(1));
  }, GLOBAL_LIMIT_MS + 60_000);
  hardStop.unref();

  try {
    const wrk = parsed.wrk ? await wrkVersion() : undefined;
    const [machine, git] = await Promise.all([machineInfo(wrk), gitDescription(root)]);
    const date = new Date().toISOString();
    const header = [
      `swarmplane bench: suite ${parsed.suite}`,
      `command   ${commandLine(argv)}`,
      `date      ${date}`,
      `git       ${git}`,
      `machine   ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}`,
      `load avg  ${machine.loadAverage.join(' ')} (1/5/15 min, at start)`,
      `software  node ${machine.node}, nats-server ${machine.natsServer}, docker CLI ${machine.dockerCli}, wrk ${machine.wrk ?? (parsed.wrk ? 'not installed' : 'disabled')}`,
      `options   runs ${parsed.options.runs}, duration ${parsed.options.durationS} s, connections ${parsed.options.connections.join(',')}${parsed.options.connectionsGiven ? '' : ' (default)'}, count ${parsed.options.count ?? 'default'}${parsed.options.warmup === undefined ? '' : `, warmup ${parsed.options.warmup}`}${parsed.options.profile ? ', profile' : ''}, CLI ${parsed.options.cli ? 'on' : 'off'}${launch.built === false ? ', build skipped (--no-build)' : ''}`,
      `reference ${referenceDockerHost ?? 'none (set REF_DOCKER_HOST to compare with a Docker Engine)'}`,
    ];
    console.log(header.join('\n'));

    const ctx: BenchContext = {
      options: parsed.options,
      tempDir,
      referenceDockerHost,
      wrk,
      async startStack(env) {
        const stack = await startBenchStack(env);
        cleanups.push(() => stack.stop());
        return stack;
      },
      defer: (fn) => cleanups.push(fn),
      progress: (message) => console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`),
      print: (text) => console.log(text),
      checkDeadline() {
        if (Date.now() - started > GLOBAL_LIMIT_MS) throw new Error(`the bench ran for more than ${GLOBAL_LIMIT_MS / 60_000} min`);
      },
    };
    const suite = await entry.load();
    const results = await suite.run(ctx);
    await cleanup();
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    console.log(`\ndone in ${seconds} s; load avg at end ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    console.log(
      JSON.stringify({
        bench: 'swarmplane',
        suite: parsed.suite,
        date,
        command: commandLine(argv),
        git,
        machine: { ...machine, loadAverageEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
        options: { ...parsed.options, ...(launch.built === false ? { build: 'skipped' } : {}) },
        seconds,
        results,
      }),
    );
    return 0;
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    return 1;
  } finally {
    clearTimeout(hardStop);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
