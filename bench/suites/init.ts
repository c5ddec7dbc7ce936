/**
 * Suite `init`: `swarm init` latency (Engine API and the real docker CLI) and `GET /swarm`
 * throughput, against this stack and, when REF_DOCKER_HOST is set, a reference Docker Engine.
 */
import { EngineClient, parseDockerHost, type Endpoint } from '../support/engine-client.js';
import { runDocker } from '../support/docker-cli.js';
import { nodeLoad, wrkLoad, type LoadResult } from '../support/load.js';
import { withCpu } from '../support/proc.js';
import { section, table } from '../support/report.js';
import { round, roundSummary, summarize, type Summary } from '../support/stats.js';
import type { BenchContext, Suite } from '../support/suite.js';

/** Always loopback: the brief's body for POST /swarm/init. */
const INIT_BODY = { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [], SubnetSize: 24 };
const CLI_INIT = ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377'];
const MAX_REQUESTS_PER_MEASUREMENT = 2_000_000;

interface Target {
  readonly name: string;
  readonly endpoint: Endpoint;
  /** A process whose CPU use is shown during the load (the gateway), when known. */
  readonly serverPid: number | undefined;
}

interface TargetFigures {
  dockerHost: string;
  engineVersion: string;
  apiVersion: string;
  init: {
    warmupMs: number;
    apiInit: Summary;
    apiInitInspect: Summary;
    apiLeave: Summary;
    cliInit?: Summary;
    cliWarmupMs?: number;
    cliProcessStart?: Summary;
  };
  inspect: {
    path: string;
    responseBytes: number;
    throughput: (LoadResult & { serverCpuPct?: number; clientCpuPct?: number })[];
  };
}

export const suite: Suite = {
  async run(ctx) {
    const targets: Target[] = [];
    ctx.progress('starting nats-server and the stack');
    const stack = await ctx.startStack();
    ctx.progress(`stack up: gateway ${stack.dockerHost}, nats ${stack.natsUrl}, logs ${stack.logDir}`);
    targets.push({ name: 'swarmplane', endpoint: parseDockerHost(stack.dockerHost), serverPid: stack.stack.processes.get('gateway')?.[0]?.pid });
    if (ctx.referenceDockerHost) {
      const pid = Number(process.env['REF_DOCKER_PID']);
      targets.push({ name: 'reference', endpoint: parseDockerHost(ctx.referenceDockerHost), serverPid: Number.isInteger(pid) && pid > 0 ? pid : undefined });
    }

    const figures: Record<string, TargetFigures> = {};
    for (const target of targets) figures[target.name] = await measureTarget(ctx, target);

    printTables(ctx, targets, figures);
    return { targets: figures };
  },
};

async function measureTarget(ctx: BenchContext, target: Target): Promise<TargetFigures> {
  const { options } = ctx;
  const client = new EngineClient(target.endpoint, 1);
  ctx.defer(() => client.close());
  const apiVersion = await client.negotiate('1.47');
  const version = await client.api('GET', '/version');
  const engineVersion = version.status === 200 ? String((JSON.parse(version.text) as { Version?: string }).Version ?? '?') : '?';
  ctx.progress(`${target.name}: ${target.endpoint.dockerHost}, engine ${engineVersion}, API ${apiVersion}`);

  const state = await localNodeState(client);
  if (state !== 'inactive') {
    throw new Error(`${target.name}: the engine is already in a swarm (LocalNodeState=${state}); run \`docker swarm leave --force\` against it first`);
  }
  // Leaves the engine as found, whatever happens below.
  ctx.defer(async () => {
    if ((await localNodeState(client).catch(() => 'unknown')) !== 'inactive') await client.api('POST', '/swarm/leave?force=1').catch(() => undefined);
  });

  // 1. POST /swarm/init, then GET /swarm as the CLI does; POST /swarm/leave?force=1 in between.
  const init: number[] = [];
  const initInspect: number[] = [];
  const leave: number[] = [];
  let warmupMs = Number.NaN;
  for (let i = 0; i <= options.runs; i++) {
    ctx.checkDeadline();
    const created = expect(await client.api('POST', '/swarm/init', INIT_BODY), 200, 'POST /swarm/init');
    const inspected = expect(await client.api('GET', '/swarm'), 200, 'GET /swarm');
    const left = expect(await client.api('POST', '/swarm/leave?force=1'), 200, 'POST /swarm/leave?force=1');
    if (i === 0) {
      warmupMs = created.ms + inspected.ms;
      continue;
    }
    init.push(created.ms);
    initInspect.push(created.ms + inspected.ms);
    leave.push(left.ms);
  }
  ctx.progress(`${target.name}: ${options.runs} API inits, median ${round(summarize(initInspect).median)} ms`);

  // 2. The real docker CLI, process start included; left through the API (not timed).
  let cli: Pick<TargetFigures['init'], 'cliInit' | 'cliWarmupMs' | 'cliProcessStart'> = {};
  if (options.cli) {
    const cliInit: number[] = [];
    let cliWarmupMs = Number.NaN;
    for (let i = 0; i <= options.runs; i++) {
      ctx.checkDeadline();
      const run = await runDocker(target.endpoint.dockerHost, ctx.tempDir, CLI_INIT);
      if (run.code !== 0 || !run.stdout.startsWith('Swarm initialized')) {
        throw new Error(`${target.name}: docker ${CLI_INIT.join(' ')} exited ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
      }
      expect(await client.api('POST', '/swarm/leave?force=1'), 200, 'POST /swarm/leave?force=1');
      if (i === 0) cliWarmupMs = run.ms;
      else cliInit.push(run.ms);
    }
    // What the CLI costs without talking to any engine: process start and exit.
    const processStart: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await runDocker(target.endpoint.dockerHost, ctx.tempDir, ['--version']);
      if (run.code !== 0) throw new Error(`docker --version exited ${run.code}`);
      processStart.push(run.ms);
    }
    cli = { cliInit: roundSummary(summarize(cliInit)), cliWarmupMs: round(cliWarmupMs), cliProcessStart: roundSummary(summarize(processStart)) };
    ctx.progress(`${target.name}: ${options.runs} CLI inits, median ${cli.cliInit?.median} ms`);
  }

  // 3. GET /swarm throughput at each concurrency, node client, then wrk as a cross-check (TCP only).
  expect(await client.api('POST', '/swarm/init', INIT_BODY), 200, 'POST /swarm/init');
  const path = `/v${apiVersion}/swarm`;
  const sample = expect(await client.request('GET', path), 200, `GET ${path}`);
  const throughput: TargetFigures['inspect']['throughput'] = [];
  for (const connections of options.connections) {
    ctx.checkDeadline();
    ctx.progress(`${target.name}: GET ${path}, ${connections} connection(s), node client, ${options.durationS} s`);
    const { result, serverCpu, clientCpu } = await withCpu(target.serverPid, () =>
      nodeLoad(target.endpoint, path, {
        connections,
        durationMs: options.durationS * 1000,
        maxRequests: MAX_REQUESTS_PER_MEASUREMENT,
        warmupMs: 1000,
      }),
    );
    throughput.push({ ...result, ...(serverCpu === undefined ? {} : { serverCpuPct: serverCpu }), clientCpuPct: clientCpu });
  }
  if (ctx.wrk && target.endpoint.kind === 'tcp') {
    for (const connections of options.connections) {
      ctx.checkDeadline();
      ctx.progress(`${target.name}: GET ${path}, ${connections} connection(s), wrk, ${options.durationS} s`);
      const { result, serverCpu } = await withCpu(target.serverPid, () => wrkLoad(target.endpoint, path, connections, options.durationS));
      if (result) throughput.push({ ...result, ...(serverCpu === undefined ? {} : { serverCpuPct: serverCpu }) });
    }
  }
  expect(await client.api('POST', '/swarm/leave?force=1'), 200, 'POST /swarm/leave?force=1');

  return {
    dockerHost: target.endpoint.dockerHost,
    engineVersion,
    apiVersion,
    init: {
      warmupMs: round(warmupMs),
      apiInit: roundSummary(summarize(init)),
      apiInitInspect: roundSummary(summarize(initInspect)),
      apiLeave: roundSummary(summarize(leave)),
      ...cli,
    },
    inspect: { path, responseBytes: Buffer.byteLength(sample.text), throughput },
  };
}

async function localNodeState(client: EngineClient): Promise<string> {
  const info = expect(await client.api('GET', '/info'), 200, 'GET /info');
  return (JSON.parse(info.text) as { Swarm?: { LocalNodeState?: string } }).Swarm?.LocalNodeState ?? 'unknown';
}

function expect<T extends { status: number; text: string }>(response: T, status: number, what: string): T {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${response.text.trim().slice(0, 300)}`);
  return response;
}

function printTables(ctx: BenchContext, targets: readonly Target[], figures: Record<string, TargetFigures>): void {
  const { runs, durationS } = ctx.options;
  ctx.print(section(`swarm init latency, ms (${runs} runs each, after 1 unmeasured warm-up run)`));
  const latencyRows: (string | number)[][] = [];
  for (const target of targets) {
    const f = figures[target.name];
    if (!f) continue;
    const row = (label: string, s: Summary | undefined): void => {
      if (s) latencyRows.push([target.name, label, s.n, s.min, s.median, s.p90, s.max]);
    };
    row('API  POST /swarm/init', f.init.apiInit);
    row('API  POST /swarm/init + GET /swarm', f.init.apiInitInspect);
    row('API  POST /swarm/leave?force=1', f.init.apiLeave);
    row('CLI  docker swarm init (process incl.)', f.init.cliInit);
    row('CLI  docker --version (process only)', f.init.cliProcessStart);
  }
  ctx.print(table(['target', 'measurement', 'runs', 'min', 'median', 'p90', 'max'], latencyRows));
  if (ctx.options.cli) {
    ctx.print('');
    for (const target of targets) {
      const f = figures[target.name];
      if (f?.init.cliInit) ctx.print(`  docker swarm init via the CLI, median: ${f.init.cliInit.median} ms  (${target.name})`);
    }
  }

  ctx.print(section(`GET /swarm throughput (${durationS} s per row, keep-alive, closed loop)`));
  const rows: (string | number | undefined)[][] = [];
  for (const target of targets) {
    const f = figures[target.name];
    for (const r of f?.inspect.throughput ?? []) {
      rows.push([target.name, r.client, r.connections, r.rps, r.p50Ms, r.p99Ms, r.maxMs, r.requests, r.errors, r.connectionsOpened, pct(r.serverCpuPct), pct(r.clientCpuPct)]);
    }
  }
  ctx.print(table(['target', 'client', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'errors', 'opened', 'server CPU', 'client CPU'], rows));
  for (const target of targets) {
    const f = figures[target.name];
    if (f) ctx.print(`  ${target.name}: GET ${f.inspect.path}, ${f.inspect.responseBytes} bytes per answer`);
  }
  ctx.print('  client node = this process, raw keep-alive HTTP/1.1 sockets; opened = connections it opened (warm-up included; keep-alive held when = conns).');
  ctx.print('  server CPU = the gateway process (or REF_DOCKER_PID), % of one core; client CPU = this node process.');
  for (const target of targets) {
    for (const r of figures[target.name]?.inspect.throughput ?? []) {
      if (r.firstError) ctx.print(`  ${target.name} ${r.client} ${r.connections} conns, first error: ${r.firstError}`);
    }
  }

  const ours = figures['swarmplane'];
  const ref = figures['reference'];
  if (ours && ref) {
    ctx.print(section('side by side'));
    const node = (f: TargetFigures, c: number): LoadResult | undefined => f.inspect.throughput.find((r) => r.client === 'node' && r.connections === c);
    const compare: (string | number | undefined)[][] = [
      ['engine', ours.engineVersion, ref.engineVersion, undefined],
      ['API init + GET /swarm, median ms', ours.init.apiInitInspect.median, ref.init.apiInitInspect.median, ratio(ours.init.apiInitInspect.median, ref.init.apiInitInspect.median)],
      ['API leave --force, median ms', ours.init.apiLeave.median, ref.init.apiLeave.median, ratio(ours.init.apiLeave.median, ref.init.apiLeave.median)],
      ...(ours.init.cliInit && ref.init.cliInit
        ? [['CLI docker swarm init, median ms', ours.init.cliInit.median, ref.init.cliInit.median, ratio(ours.init.cliInit.median, ref.init.cliInit.median)] as (string | number | undefined)[]]
        : []),
      ['GET /swarm bytes', ours.inspect.responseBytes, ref.inspect.responseBytes, undefined],
    ];
    for (const c of ctx.options.connections) {
      const a = node(ours, c);
      const b = node(ref, c);
      compare.push([`GET /swarm req/s, ${c} conn (node)`, a?.rps, b?.rps, ratio(a?.rps, b?.rps)]);
      compare.push([`GET /swarm p50 ms, ${c} conn (node)`, a?.p50Ms, b?.p50Ms, ratio(a?.p50Ms, b?.p50Ms)]);
      compare.push([`GET /swarm p99 ms, ${c} conn (node)`, a?.p99Ms, b?.p99Ms, ratio(a?.p99Ms, b?.p99Ms)]);
    }
    ctx.print(table(['metric', 'swarmplane', 'reference', 'swarmplane/ref'], compare));
  }
}

function pct(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value}%`;
}

function ratio(a: number | undefined, b: number | undefined): string | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return undefined;
  return `${round(a / b)}x`;
}
