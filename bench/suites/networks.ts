/**
 * Suite `networks` (issue 3): every /24 of 10.0.0.0/8 allocated through the running service.
 *
 * 1. The pure allocator (`SubnetPool`, in this process): 65,536 `lowestFree()` + `take()`, then
 *    random releases and re-allocations on a full and on a half-full pool.
 * 2. A concurrency sweep (its own stack): 1,000 creates per level, two passes, to pick the level.
 * 2b. The cold start (its own fresh stack): creates at 8 connections by 1,000, the first four
 *    batches against creates 10,001-11,000 (networks-cold-start.ts).
 * 3. The main run (a fresh stack): `swarm init` with DefaultAddrPool 10.0.0.0/8, SubnetSize 24
 *    (ingress takes 10.0.0.0/24), then `--count` (default 65,535) `POST /networks/create` at the
 *    chosen concurrency; then one more create, which must fail with the exhaustion error. Creates
 *    per second of the first and last 1,000, RSS and CPU of every process before and after.
 * 4. With REF_DOCKER_HOST: the same creates on the reference engine, bounded (2,000), removed after.
 */
import { SubnetPool, parseIpv4Prefix, type Ipv4Prefix } from '#domain';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { freePort } from '#testing';
import { closedLoop, latencySummary, seededRandom, windowRate, windowSeconds, type LatencySummary, type LoopResult } from '../support/closed-loop.js';
import { collectProfiles, printProfile, profilerEnv, summarizeProfile, toggleProfilers, type ProfileSummary } from '../support/cpu-profile.js';
import { EngineClient, parseDockerHost, type Endpoint } from '../support/engine-client.js';
import { messageCensus, printCensus, type Census } from '../support/nats-census.js';
import { machineBusySeconds, processCpuSeconds, processMemory, type ProcessMemory } from '../support/proc.js';
import { RawConnection } from '../support/raw-request.js';
import { section, table } from '../support/report.js';
import type { BenchStack } from '../support/stack.js';
import { round } from '../support/stats.js';
import type { BenchContext, Suite } from '../support/suite.js';
import { coldStart, printColdStart } from './networks-cold-start.js';

const POOL = '10.0.0.0/8';
const SUBNET_BITS = 24;
/** /24s in a /8, and what is left once ingress took the first. */
const SLOTS = 65_536;
const FULL = SLOTS - 1;
const EXHAUSTED = 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network';
const SWEEP_LEVELS = [1, 2, 4, 8, 16, 32];
const SWEEP_CREATES = 1_000;
const SWEEP_PASSES = 2;
/** The sweep's pick: the fewest connections reaching this share of the best mean rate. */
const BEST_SHARE = 0.95;
/** Creates on the reference (bounded); its second half is taken as its steady state. */
const REFERENCE_CREATES = 4_000;
const WINDOW = 1_000;
const MAIN_TIME_LIMIT_MS = 12 * 60_000;
const REFERENCE_TIME_LIMIT_MS = 3 * 60_000;
const ALLOCATOR_TIME_LIMIT_MS = 60_000;
const PROCESSES = ['gateway', 'ipam-service', 'node-service', 'ca-service', 'token-service'] as const;
const CENSUS_CREATES = 200;
/** Creates 10,001-11,000: a window after the fresh processes' JIT warm-up. */
const WARM_WINDOW_START = 10_000;

export const suite: Suite = {
  async run(ctx) {
    const count = Math.min(ctx.options.count ?? FULL, FULL);
    if ((ctx.options.count ?? FULL) > FULL) ctx.progress(`--count ${ctx.options.count}: 10.0.0.0/8 holds ${FULL} networks besides ingress; creating ${FULL}`);

    ctx.progress('pure allocator: SubnetPool on 10.0.0.0/8 at /24');
    const allocator = allocatorBench();
    printAllocator(ctx, allocator);

    let levels = ctx.options.connectionsGiven ? [...ctx.options.connections] : SWEEP_LEVELS;
    let sweep: SweepRow[] = [];
    let census: Census | undefined;
    let concurrency = levels[0] ?? 8;
    if (levels.length > 1) {
      ({ rows: sweep, census } = await concurrencySweep(ctx, levels, Math.min(SWEEP_CREATES, count)));
      // Best: the fewest connections within 5% of the highest mean rate (more only adds latency).
      const top = Math.max(...sweep.map((r) => r.meanRate));
      concurrency = [...sweep].sort((a, b) => a.connections - b.connections).find((r) => r.meanRate >= BEST_SHARE * top)?.connections ?? 8;
      printSweep(ctx, sweep, concurrency);
      if (census) {
        ctx.print(section(`NATS messages per network create (a '>' subscriber, ${CENSUS_CREATES} creates one at a time, on the sweep's stack)`));
        printCensus(ctx, census, 'create');
      }
    } else {
      levels = [concurrency];
    }

    const cold = await coldStart(
      ctx,
      count,
      async () => {
        const stack = await ctx.startStack();
        await initSwarm(stack);
        return { endpoint: parseDockerHost(stack.dockerHost), stop: () => stack.stop() };
      },
      createNetworks,
    );
    printColdStart(ctx, cold);

    const main = await mainRun(ctx, count, concurrency);
    printMain(ctx, main);

    let reference: ReferenceFigures | undefined;
    if (ctx.referenceDockerHost) {
      reference = await referenceRun(ctx, parseDockerHost(ctx.referenceDockerHost), Math.min(REFERENCE_CREATES, count), concurrency);
      printSideBySide(ctx, main, reference);
    }
    return { count, allocator, sweep, ...(census ? { census } : {}), coldStart: cold, main: stripSamples(main), ...(reference ? { reference } : {}) };
  },
};

// ---------------------------------------------------------------------------------------------
// 1. The allocator alone

interface AllocatorRow {
  variant: string;
  ops: number;
  totalMs: number;
  opsPerSecond: number;
  firstOpsPerSecond: number;
  lastOpsPerSecond: number;
  /** Time of the last 1,000 ops over time of the first 1,000. */
  lastFirstTimeRatio: number;
  note?: string;
}

function allocatorBench(): AllocatorRow[] {
  const pool = parseIpv4Prefix(POOL) as Ipv4Prefix;
  // JIT warm-up on a throw-away pool (not measured).
  const warm = new SubnetPool([pool], SUBNET_BITS);
  for (let i = 0; i < 8192; i++) warm.take(warm.lowestFree() as Ipv4Prefix);

  const rows: AllocatorRow[] = [];
  // a) Fill 10.0.0.0/8 at /24 from empty: 65,536 lowestFree() + take().
  const full = new SubnetPool([pool], SUBNET_BITS);
  const fill = timedOps(SLOTS, () => {
    const subnet = full.lowestFree();
    if (!subnet) throw new Error('the pool filled up early');
    full.take(subnet);
  });
  if (full.lowestFree() !== undefined) throw new Error('lowestFree() found a subnet in a full pool');
  rows.push(row('fill: lowestFree+take, empty to full', fill));

  // b) Full pool: release a random subnet, then lowestFree()+take() (which must find that one).
  const random = seededRandom(42);
  const taken = Array.from({ length: SLOTS }, (_, i) => pool.base + i * 256);
  const churnFull = timedOps(SLOTS, () => {
    const index = Math.floor(random() * taken.length);
    const base = taken[index] as number;
    full.release({ base, bits: SUBNET_BITS });
    const again = full.lowestFree();
    if (again?.base !== base) throw new Error(`lowestFree() gave ${again?.base} after releasing ${base}`);
    full.take(again);
  });
  rows.push(row('full pool: release random + lowestFree+take', churnFull, 'one op = release + allocate'));

  // c) Half-full pool, random releases and allocations (50/50): free slots scattered everywhere.
  const half = new SubnetPool([pool], SUBNET_BITS);
  const held: number[] = [];
  for (let i = 0; i < SLOTS / 2; i++) {
    const subnet = half.lowestFree() as Ipv4Prefix;
    half.take(subnet);
    held.push(subnet.base);
  }
  // Scatter: release every other one first, then allocate back half of them (lowest first).
  for (let i = held.length - 1; i >= 0; i -= 2) {
    half.release({ base: held[i] as number, bits: SUBNET_BITS });
    held.splice(i, 1);
  }
  const churnHalf = timedOps(SLOTS, () => {
    if (random() < 0.5 && held.length > 0) {
      const index = Math.floor(random() * held.length);
      const base = held[index] as number;
      held[index] = held[held.length - 1] as number;
      held.pop();
      half.release({ base, bits: SUBNET_BITS });
    } else {
      const subnet = half.lowestFree();
      if (!subnet) throw new Error('half-full pool is full');
      half.take(subnet);
      held.push(subnet.base);
    }
  });
  rows.push(row('~25% full, scattered: random release or allocate', churnHalf, `one op = release or allocate (50/50); ${held.length} held at the end`));

  // d) Full pool, batches: release 1,000 random subnets, then allocate 1,000 (lowest first).
  const batches = 32;
  const batchOps = timedOps(batches * 2 * 1000, (() => {
    let inBatch = 0;
    const released: number[] = [];
    return () => {
      if (inBatch < 1000) {
        const index = Math.floor(random() * taken.length);
        const base = taken[index] as number;
        taken[index] = taken[taken.length - 1] as number;
        taken.pop();
        full.release({ base, bits: SUBNET_BITS });
        released.push(base);
      } else {
        const subnet = full.lowestFree();
        if (!subnet) throw new Error('no free subnet after releases');
        full.take(subnet);
        taken.push(subnet.base);
      }
      inBatch = (inBatch + 1) % 2000;
    };
  })());
  rows.push(row('full pool: release 1,000 random, allocate 1,000 (x32)', batchOps, 'one op = one release or one allocate'));
  return rows;
}

function timedOps(ops: number, op: () => void): { at: Float64Array; totalMs: number; done: number } {
  const at = new Float64Array(ops);
  const start = performance.now();
  let done = 0;
  for (; done < ops; done++) {
    op();
    // Reading the clock every op costs ~30 ns; every op keeps the first/last 1,000 exact.
    at[done] = performance.now() - start;
    if ((done & 1023) === 0 && (at[done] ?? 0) > ALLOCATOR_TIME_LIMIT_MS) {
      done++;
      break;
    }
  }
  return { at: at.subarray(0, done), totalMs: performance.now() - start, done };
}

function row(variant: string, run: { at: Float64Array; totalMs: number; done: number }, note?: string): AllocatorRow {
  const first = windowSeconds(run.at, 0, WINDOW);
  const last = windowSeconds(run.at, run.done - WINDOW, run.done);
  return {
    variant,
    ops: run.done,
    totalMs: round(run.totalMs),
    opsPerSecond: Math.round(run.done / (run.totalMs / 1000)),
    firstOpsPerSecond: Math.round(WINDOW / first),
    lastOpsPerSecond: Math.round(WINDOW / last),
    lastFirstTimeRatio: round(last / first),
    ...(note ? { note } : {}),
  };
}

function printAllocator(ctx: BenchContext, rows: readonly AllocatorRow[]): void {
  ctx.print(section('pure allocator: SubnetPool, 10.0.0.0/8 at /24 (65,536 subnets), in the bench process'));
  ctx.print(
    table(
      ['variant', 'ops', 'total ms', 'ops/s', 'first 1k ops/s', 'last 1k ops/s', 'last/first time'],
      rows.map((r) => [r.variant, r.ops, r.totalMs, r.opsPerSecond, r.firstOpsPerSecond, r.lastOpsPerSecond, r.lastFirstTimeRatio]),
    ),
  );
  for (const r of rows) if (r.note) ctx.print(`  ${r.variant}: ${r.note}`);
}

// ---------------------------------------------------------------------------------------------
// 2. The concurrency sweep

interface SweepRow {
  connections: number;
  rates: number[];
  meanRate: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function concurrencySweep(ctx: BenchContext, levels: readonly number[], creates: number): Promise<{ rows: SweepRow[]; census: Census }> {
  ctx.progress(`concurrency sweep: ${creates} creates per level (${levels.join(',')}), ${SWEEP_PASSES} passes, own stack`);
  const stack = await ctx.startStack();
  await initSwarm(stack);
  const byLevel = new Map<number, { rates: number[]; latencies: Float64Array[]; errors: number }>();
  let serial = 0;
  for (let pass = 0; pass < SWEEP_PASSES; pass++) {
    // Up then down, so that neither end of the sweep always runs on the emptier pool.
    const order = pass % 2 === 0 ? levels : [...levels].reverse();
    for (const connections of order) {
      ctx.checkDeadline();
      const first = serial;
      const result = await createNetworks(parseDockerHost(stack.dockerHost), '1.47', creates, connections, (i) => `sweep${first + i}`, 60_000);
      serial += creates;
      const entry = byLevel.get(connections) ?? { rates: [], latencies: [], errors: 0 };
      entry.rates.push(Math.round(result.ok / (result.elapsedMs / 1000)));
      entry.latencies.push(result.latencies);
      entry.errors += result.errors;
      byLevel.set(connections, entry);
      ctx.progress(`  pass ${pass + 1}, ${connections} conns: ${entry.rates.at(-1)} creates/s${result.firstError ? `, first error: ${result.firstError}` : ''}`);
    }
  }
  ctx.progress(`census: every NATS message during ${CENSUS_CREATES} creates one at a time`);
  const nc = await connect({ servers: stack.natsUrl, name: 'bench-networks-census', noAsyncTraces: true });
  const client = RawConnection.engine(parseDockerHost(stack.dockerHost));
  let census: Census;
  try {
    census = await messageCensus(nc, CENSUS_CREATES, async (i) => {
      const response = await client.request('POST', '/v1.47/networks/create', `{"Name":"census${i}","Driver":"overlay"}`);
      if (response.status !== 201) throw new Error(`census create: ${response.status} ${response.body.toString('utf8')}`);
    });
  } finally {
    client.close();
    await nc.close();
  }
  await stack.stop();
  const rows = levels.map((connections) => {
    const entry = byLevel.get(connections) ?? { rates: [], latencies: [], errors: 0 };
    const merged = new Float64Array(entry.latencies.reduce((n, l) => n + l.length, 0));
    let offset = 0;
    for (const l of entry.latencies) {
      merged.set(l, offset);
      offset += l.length;
    }
    const latency = latencySummary(merged);
    return {
      connections,
      rates: entry.rates,
      meanRate: Math.round(entry.rates.reduce((a, b) => a + b, 0) / Math.max(1, entry.rates.length)),
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      errors: entry.errors,
    };
  });
  return { rows, census };
}

function printSweep(ctx: BenchContext, rows: readonly SweepRow[], chosen: number): void {
  ctx.print(section(`concurrency sweep: POST /networks/create, ${SWEEP_CREATES} creates per level and pass, keep-alive, closed loop`));
  ctx.print(
    table(
      ['conns', ...Array.from({ length: SWEEP_PASSES }, (_, i) => `pass ${i + 1}/s`), 'mean/s', 'p50 ms', 'p99 ms', 'errors'],
      rows.map((r) => [r.connections === chosen ? `${r.connections} *` : String(r.connections), ...r.rates, r.meanRate, r.p50Ms, r.p99Ms, r.errors]),
    ),
  );
  const top = Math.max(...rows.map((r) => r.meanRate));
  const highest = rows.find((r) => r.meanRate === top)?.connections;
  ctx.print(`  * best: ${chosen} connections, the fewest within ${Math.round((1 - BEST_SHARE) * 100)}% of the highest mean rate (${top}/s at ${highest}); more connections only add latency. The main run uses it.`);
  ctx.print('  Passes run up then down the levels, so neither end always meets the emptier pool or the colder processes.');
}

// ---------------------------------------------------------------------------------------------
// 3. The main run

interface ProcessFigures {
  pid: number | undefined;
  before: ProcessMemory | undefined;
  after: ProcessMemory | undefined;
  cpuSeconds: number | undefined;
}

interface Segment {
  from: number;
  to: number;
  perSecond: number;
  p99Ms: number;
  cpuMsPerCreate: Record<string, number | undefined>;
  /** CPU the rest of the machine used (not the stack, not the bench), % of one core. */
  otherLoadPct: number | undefined;
}

interface Snapshot {
  done: number;
  at: number;
  cpu: Record<string, number | undefined>;
  bench: number;
  machine: number | undefined;
}

interface MainFigures {
  count: number;
  connections: number;
  seconds: number;
  ok: number;
  errors: number;
  firstError?: string;
  stoppedEarly?: string;
  createsPerSecond: number;
  first1000PerSecond: number;
  last1000PerSecond: number;
  /** Time of the last 1,000 over time of the first 1,000 (target < 1.5). */
  lastFirstTimeRatio: number;
  /** Creates 10,001-11,000, once the fresh processes are warm, and the last 1,000's time over theirs. */
  warm1000PerSecond?: number;
  lastWarmTimeRatio?: number;
  profiles?: { window: string; creates: number; byApp: Record<string, ProfileSummary> }[];
  profileDir?: string;
  latency: LatencySummary;
  /** Tenths of the run (boundaries at multiples of 500): rate, p99, CPU ms per create of each process, other load. */
  deciles: Segment[];
  firstReferenceWindowPerSecond: number;
  /** Creates 10,001-12,000 (as many as the reference's second half, warm processes). */
  warmReferenceWindowPerSecond?: number;
  /** Rates of the first creates, by 1,000 (as many as the reference makes). */
  windows1000: number[];
  processes: Record<string, ProcessFigures>;
  exhaustion?: { status: number; message: string; ms: number; ok: boolean };
  samples?: Record<string, string>;
  doneAt?: Float64Array;
}

async function mainRun(ctx: BenchContext, count: number, connections: number): Promise<MainFigures> {
  ctx.progress(`main run: fresh stack, ${count.toLocaleString('en')} creates at ${connections} connections`);
  const profileDir = ctx.options.profile ? mkdtempSync(path.join(os.tmpdir(), 'swarmplane-networks-profiles-')) : undefined;
  const stack = await ctx.startStack(profileDir ? profilerEnv(profileDir) : {});
  await initSwarm(stack);
  const pids = processPids(stack);
  // --profile: two windows, the first and the last tenth of the creates (one window below 10,000).
  const apps = PROCESSES.flatMap((app) => (pids[app] === undefined ? [] : [{ app, pid: pids[app] as number }]));
  const tenth = count >= 10_000 ? Math.round(count / 10 / 500) * 500 : count;
  const windows = count >= 10_000 ? [{ from: 0, to: tenth }, { from: count - tenth, to: count }] : [{ from: 0, to: count }];
  let profiling = false;
  let windowIndex = 0;
  const profileAt = (done: number): void => {
    const window = windows[windowIndex];
    if (!profileDir || !window) return;
    if (!profiling && done >= window.from && done < window.to) {
      toggleProfilers(apps.map((a) => a.pid));
      profiling = true;
    } else if (profiling && done >= window.to) {
      toggleProfilers(apps.map((a) => a.pid));
      profiling = false;
      windowIndex++;
    }
  };
  profileAt(0);
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, { memory: processMemory(pid), cpu: processCpuSeconds(pid) }]));
  const snapshot = (done: number): Snapshot => {
    const cpu: Record<string, number | undefined> = {};
    for (const [name, pid] of Object.entries(pids)) cpu[name] = processCpuSeconds(pid);
    const bench = process.cpuUsage();
    return { done, at: performance.now(), cpu, bench: (bench.user + bench.system) / 1e6, machine: machineBusySeconds() };
  };
  const segment = count >= 10_000 ? Math.round(count / 10 / 500) * 500 : count;
  const snapshots: Snapshot[] = [snapshot(0)];
  let nextBoundary = segment;
  const started = performance.now();
  const result = await createNetworks(parseDockerHost(stack.dockerHost), '1.47', count, connections, (i) => `bn${i + 1}`, MAIN_TIME_LIMIT_MS, (done, ms) => {
    if (done >= nextBoundary && count - done >= segment / 2) {
      snapshots.push(snapshot(done));
      nextBoundary += segment;
    }
    if (done % 5000 === 0) ctx.progress(`  ${done.toLocaleString('en')} created, ${Math.round(done / (ms / 1000))}/s so far`);
    profileAt(done);
    ctx.checkDeadline();
  });
  snapshots.push(snapshot(result.done));
  if (profiling) {
    toggleProfilers(apps.map((a) => a.pid));
    profiling = false;
  }
  const seconds = (performance.now() - started) / 1000;
  const processes: Record<string, ProcessFigures> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const cpuBefore = before[name]?.cpu;
    const cpuAfter = processCpuSeconds(pid);
    processes[name] = {
      pid,
      before: before[name]?.memory,
      after: processMemory(pid),
      cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : round(cpuAfter - cpuBefore),
    };
  }

  let profiles: MainFigures['profiles'];
  if (profileDir) {
    profiles = [];
    for (const [index, window] of windows.entries()) {
      const files = await collectProfiles(profileDir, apps, index);
      const byApp: Record<string, ProfileSummary> = {};
      for (const [app, file] of files) byApp[app] = summarizeProfile(file, 10);
      profiles.push({ window: `creates ${window.from + 1}-${window.to}`, creates: window.to - window.from, byApp });
    }
  }

  const client = RawConnection.engine(parseDockerHost(stack.dockerHost));
  ctx.defer(() => client.close());
  let exhaustion: MainFigures['exhaustion'];
  if (count === FULL && result.ok === FULL) {
    const t = performance.now();
    const response = await client.request('POST', '/v1.47/networks/create', JSON.stringify({ Name: 'bn-one-too-many', Driver: 'overlay' }));
    const ms = performance.now() - t;
    const message = (JSON.parse(response.body.toString('utf8') || '{}') as { message?: string }).message ?? response.body.toString('utf8');
    exhaustion = { status: response.status, message, ms: round(ms), ok: response.status === 500 && message === EXHAUSTED };
  }
  const samples: Record<string, string> = {};
  for (const [key, name] of [['first', 'bn1'], ['last', `bn${count}`]] as const) {
    const response = await client.request('GET', `/v1.47/networks/${name}`);
    if (response.status === 200) {
      const network = JSON.parse(response.body.toString('utf8')) as { IPAM?: { Config?: { Subnet?: string }[] } };
      samples[key] = `${name} ${network.IPAM?.Config?.[0]?.Subnet ?? '?'}`;
    }
  }
  const ingress = await client.request('GET', '/v1.47/networks/ingress');
  const ingressSubnet = (JSON.parse(ingress.body.toString('utf8')) as { IPAM?: { Config?: { Subnet?: string }[] } }).IPAM?.Config?.[0]?.Subnet;
  ctx.progress(`  ingress ${ingressSubnet}; ${samples.first ?? ''}; ${samples.last ?? ''}`);
  client.close();
  await stack.stop();

  return {
    ...loopFigures(result, count, connections),
    deciles: segments(snapshots, result.latencies),
    seconds: round(seconds),
    processes,
    ...(exhaustion ? { exhaustion } : {}),
    ...(profiles ? { profiles, profileDir } : {}),
    samples: { ...samples, ...(ingressSubnet ? { ingress: ingressSubnet } : {}) },
  };
}

function thousands(doneAt: Float64Array, upTo: number): number[] {
  const rates: number[] = [];
  for (let from = 0; from < upTo; from += WINDOW) rates.push(Math.round(windowRate(doneAt, from, Math.min(from + WINDOW, upTo))));
  return rates;
}

function segments(snapshots: readonly Snapshot[], latencies: Float64Array): Segment[] {
  const out: Segment[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    const a = snapshots[i - 1] as Snapshot;
    const b = snapshots[i] as Snapshot;
    const creates = b.done - a.done;
    if (creates <= 0) continue;
    const seconds = (b.at - a.at) / 1000;
    const cpuMsPerCreate: Record<string, number | undefined> = {};
    let ours = b.bench - a.bench;
    for (const name of Object.keys(b.cpu)) {
      const before = a.cpu[name];
      const after = b.cpu[name];
      const used = before === undefined || after === undefined ? undefined : after - before;
      ours += used ?? 0;
      cpuMsPerCreate[name] = used === undefined ? undefined : round((used * 1000) / creates);
    }
    cpuMsPerCreate['bench'] = round(((b.bench - a.bench) * 1000) / creates);
    const machine = a.machine === undefined || b.machine === undefined ? undefined : b.machine - a.machine;
    out.push({
      from: a.done + 1,
      to: b.done,
      perSecond: Math.round(creates / seconds),
      p99Ms: latencySummary(latencies.subarray(a.done, b.done)).p99Ms,
      cpuMsPerCreate,
      otherLoadPct: machine === undefined ? undefined : Math.max(0, Math.round(((machine - ours) / seconds) * 100)),
    });
  }
  return out;
}

function loopFigures(result: LoopResult, count: number, connections: number): Omit<MainFigures, 'seconds' | 'processes' | 'profiles' | 'profileDir' | 'deciles'> {
  const n = result.done;
  const firstTime = windowSeconds(result.doneAt, 0, WINDOW);
  const lastTime = windowSeconds(result.doneAt, n - WINDOW, n);
  const warmTime = n >= WARM_WINDOW_START + 2 * WINDOW ? windowSeconds(result.doneAt, WARM_WINDOW_START, WARM_WINDOW_START + WINDOW) : undefined;
  return {
    count,
    connections,
    ok: result.ok,
    errors: result.errors,
    ...(result.firstError ? { firstError: result.firstError } : {}),
    ...(result.stoppedEarly ? { stoppedEarly: result.stoppedEarly } : {}),
    createsPerSecond: Math.round(result.ok / (result.elapsedMs / 1000)),
    first1000PerSecond: Math.round(Math.min(WINDOW, n) / firstTime),
    last1000PerSecond: Math.round(Math.min(WINDOW, n) / lastTime),
    lastFirstTimeRatio: round(lastTime / firstTime),
    ...(warmTime === undefined ? {} : { warm1000PerSecond: Math.round(WINDOW / warmTime), lastWarmTimeRatio: round(lastTime / warmTime) }),
    latency: latencySummary(result.latencies),
    firstReferenceWindowPerSecond: Math.round(windowRate(result.doneAt, 0, Math.min(REFERENCE_CREATES, n))),
    ...(n >= WARM_WINDOW_START + REFERENCE_CREATES / 2
      ? { warmReferenceWindowPerSecond: Math.round(windowRate(result.doneAt, WARM_WINDOW_START, WARM_WINDOW_START + REFERENCE_CREATES / 2)) }
      : {}),
    windows1000: thousands(result.doneAt, Math.min(REFERENCE_CREATES, n)),
    doneAt: result.doneAt,
  };
}

function stripSamples(main: MainFigures): Omit<MainFigures, 'doneAt'> {
  const { doneAt: _doneAt, ...rest } = main;
  return rest;
}

function printMain(ctx: BenchContext, m: MainFigures): void {
  printMainTables(ctx, m);
  for (const window of m.profiles ?? []) {
    ctx.print(section(`CPU profiles, ${window.window} (sampling profiler on: slower than without --profile)`));
    for (const [app, p] of Object.entries(window.byApp)) printProfile(ctx, app, p, window.creates, 'create', 8);
  }
  if (m.profileDir) ctx.print(`\n  profiles (open in Chrome DevTools > Performance): ${m.profileDir}`);
}

function printMainTables(ctx: BenchContext, m: MainFigures): void {
  ctx.print(section(`main run: ${m.count.toLocaleString('en')} x POST /v1.47/networks/create {"Name":"bn<i>","Driver":"overlay"}, ${m.connections} keep-alive connections`));
  ctx.print(
    table(
      ['measurement', 'value', 'target'],
      [
        ['creates ok / errors', `${m.ok} / ${m.errors}`, undefined],
        ['whole run, s', m.seconds, '< 300'],
        ['creates/s, whole run', m.createsPerSecond, undefined],
        ['creates/s, first 1,000', m.first1000PerSecond, undefined],
        ['creates/s, last 1,000', m.last1000PerSecond, undefined],
        ['last/first 1,000 time ratio', m.lastFirstTimeRatio, '< 1.5'],
        ...(m.warm1000PerSecond === undefined
          ? []
          : [
              ['creates/s, 10,001-11,000 (warm processes)', m.warm1000PerSecond, undefined],
              ['last 1,000 / 10,001-11,000 time ratio', m.lastWarmTimeRatio, '(< 1.5)'],
            ]),
        ['latency p50 / p90 / p99 / max ms', `${m.latency.p50Ms} / ${m.latency.p90Ms} / ${m.latency.p99Ms} / ${m.latency.maxMs}`, undefined],
        ...(m.exhaustion
          ? [
              ['one more create: status', m.exhaustion.status, 500],
              ['one more create: message', m.exhaustion.ok ? 'the exhaustion error (exact text)' : m.exhaustion.message, undefined],
              ['one more create: ms', m.exhaustion.ms, undefined],
            ]
          : [['one more create', `skipped (--count ${m.count} < ${FULL})`, undefined]]),
      ] as (string | number | undefined)[][],
    ),
  );
  if (m.firstError) ctx.print(`  first error: ${m.firstError}`);
  if (m.stoppedEarly) ctx.print(`  stopped early: ${m.stoppedEarly}`);
  if (m.samples) ctx.print(`  check: ${Object.entries(m.samples).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  if (m.deciles.length > 1) {
    const names = Object.keys(m.deciles[0]?.cpuMsPerCreate ?? {});
    ctx.print('\n  by tenth of the run: rate, p99, CPU ms per create of each process (/proc), and what the rest of the machine used:');
    ctx.print(
      table(
        ['creates', 'creates/s', 'p99 ms', ...names.map((n) => `${n.replace('-service', '')} ms`), 'others % core'],
        m.deciles.map((d) => [`${d.from}-${d.to}`, d.perSecond, d.p99Ms, ...names.map((n) => d.cpuMsPerCreate[n]), d.otherLoadPct]),
        '    ',
      ),
    );
    ctx.print('    others = busy CPU of the whole machine (/proc/stat) minus the stack and the bench: other people\'s work on this shared machine.');
  }
  ctx.print('\n  processes (RSS from /proc/<pid>/status; CPU = user+system seconds during the creates):');
  ctx.print(
    table(
      ['process', 'pid', 'RSS before MiB', 'RSS after MiB', 'delta MiB', 'peak MiB', 'CPU s', 'CPU % of run', 'CPU ms/create'],
      Object.entries(m.processes).map(([name, p]) => [
        name,
        p.pid,
        p.before?.rssMiB,
        p.after?.rssMiB,
        p.before && p.after ? round(p.after.rssMiB - p.before.rssMiB) : undefined,
        p.after?.peakMiB,
        p.cpuSeconds,
        p.cpuSeconds === undefined ? undefined : `${Math.round((p.cpuSeconds / m.seconds) * 100)}%`,
        p.cpuSeconds === undefined || m.ok === 0 ? undefined : round((p.cpuSeconds * 1000) / m.ok),
      ]),
      '    ',
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// 4. The reference engine

interface ReferenceFigures {
  dockerHost: string;
  engineVersion: string;
  apiVersion: string;
  creates: number;
  connections: number;
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
  createsPerSecond: number;
  first1000PerSecond: number;
  last1000PerSecond: number;
  windows1000: number[];
  /** The second half of its creates. */
  steadyPerSecond: number;
  latency: LatencySummary;
  removeSeconds: number;
  removed: number;
  firstSubnet?: string;
}

async function referenceRun(ctx: BenchContext, endpoint: Endpoint, creates: number, connections: number): Promise<ReferenceFigures> {
  const client = new EngineClient(endpoint, 1);
  ctx.defer(() => client.close());
  const apiVersion = await client.negotiate('1.47');
  const version = await client.api('GET', '/version');
  const engineVersion = String((JSON.parse(version.text) as { Version?: string }).Version ?? '?');
  const info = JSON.parse((await client.api('GET', '/info')).text) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== 'inactive') throw new Error(`reference: the engine is in a swarm (${info.Swarm?.LocalNodeState}); leave it first`);
  ctx.defer(async () => {
    const state = await client.api('GET', '/info').then((r) => (JSON.parse(r.text) as { Swarm?: { LocalNodeState?: string } }).Swarm?.LocalNodeState, () => 'unknown');
    if (state !== 'inactive') await client.api('POST', '/swarm/leave?force=1').catch(() => undefined);
  });
  ctx.progress(`reference: ${endpoint.dockerHost}, engine ${engineVersion}, API ${apiVersion}: ${creates} creates at ${connections} connections`);
  const init = await client.api('POST', '/swarm/init', { ListenAddr: `127.0.0.1:${await freePort()}`, AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [POOL], SubnetSize: SUBNET_BITS });
  if (init.status !== 200) throw new Error(`reference: swarm init: ${init.status} ${init.text.trim()}`);

  const ids: string[] = [];
  const result = await createNetworks(endpoint, apiVersion, creates, connections, (i) => `bn${i + 1}`, REFERENCE_TIME_LIMIT_MS, (done, ms) => {
    if (done % 500 === 0) ctx.progress(`  reference: ${done} created, ${Math.round(done / (ms / 1000))}/s so far`);
  }, (id) => ids.push(id));
  const first = await client.api('GET', '/networks/bn1');
  const firstSubnet = first.status === 200 ? (JSON.parse(first.text) as { IPAM?: { Config?: { Subnet?: string }[] } }).IPAM?.Config?.[0]?.Subnet : undefined;

  // Remove them (bounded), then leave the swarm.
  const removeStart = performance.now();
  const removers = Array.from({ length: connections }, () => RawConnection.engine(endpoint));
  const removed = await closedLoop(removers, {
    count: ids.length,
    timeLimitMs: REFERENCE_TIME_LIMIT_MS,
    maxErrors: 50,
    request: (i) => ({ method: 'DELETE', path: `/v${apiVersion}/networks/${ids[i]}` }),
    ok: (r) => r.status === 204 || r.status === 200,
  });
  for (const r of removers) r.close();
  const removeSeconds = (performance.now() - removeStart) / 1000;
  const left = await client.api('POST', '/swarm/leave?force=1');
  if (left.status !== 200) ctx.progress(`reference: leave answered ${left.status} ${left.text.trim()}`);
  const n = result.done;
  return {
    dockerHost: endpoint.dockerHost,
    engineVersion,
    apiVersion,
    creates,
    connections,
    ok: result.ok,
    errors: result.errors,
    ...(result.firstError ? { firstError: result.firstError } : {}),
    seconds: round(result.elapsedMs / 1000),
    createsPerSecond: Math.round(result.ok / (result.elapsedMs / 1000)),
    first1000PerSecond: Math.round(windowRate(result.doneAt, 0, Math.min(WINDOW, n))),
    last1000PerSecond: Math.round(windowRate(result.doneAt, Math.max(0, n - WINDOW), n)),
    windows1000: thousands(result.doneAt, n),
    steadyPerSecond: Math.round(windowRate(result.doneAt, Math.floor(n / 2), n)),
    latency: latencySummary(result.latencies),
    removeSeconds: round(removeSeconds),
    removed: removed.ok,
    ...(firstSubnet ? { firstSubnet } : {}),
  };
}

function printSideBySide(ctx: BenchContext, ours: MainFigures, ref: ReferenceFigures): void {
  ctx.print(section(`side by side: POST /networks/create, ${ref.connections} connections, same client; reference: ${ref.creates.toLocaleString('en')} creates`));
  const n = ref.creates;
  const half = Math.floor(n / 2);
  const ratio = (a: number | undefined, b: number): string | undefined => (a !== undefined && Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${round(a / b)}x` : undefined);
  const k = (i: number): string => `${(i * WINDOW + 1).toLocaleString('en')}-${((i + 1) * WINDOW).toLocaleString('en')}`;
  const rows: (string | number | undefined)[][] = [['engine', 'swarmplane', ref.engineVersion, undefined]];
  ref.windows1000.forEach((rate, i) => rows.push([`creates/s, creates ${k(i)} (both fresh)`, ours.windows1000[i], rate, ratio(ours.windows1000[i], rate)]));
  rows.push(
    [`creates/s, first ${n.toLocaleString('en')} (both fresh)`, ours.firstReferenceWindowPerSecond, ref.createsPerSecond, ratio(ours.firstReferenceWindowPerSecond, ref.createsPerSecond)],
    [
      `steady: ours 10,001-${(WARM_WINDOW_START + half).toLocaleString('en')}, ref ${(half + 1).toLocaleString('en')}-${n.toLocaleString('en')}`,
      ours.warmReferenceWindowPerSecond,
      ref.steadyPerSecond,
      ratio(ours.warmReferenceWindowPerSecond, ref.steadyPerSecond),
    ],
    [`whole run (ours ${ours.ok.toLocaleString('en')}, ref ${ref.ok.toLocaleString('en')})`, ours.createsPerSecond, ref.createsPerSecond, ratio(ours.createsPerSecond, ref.createsPerSecond)],
    ['latency p50 ms (whole run)', ours.latency.p50Ms, ref.latency.p50Ms, ratio(ours.latency.p50Ms, ref.latency.p50Ms)],
    ['latency p99 ms (whole run)', ours.latency.p99Ms, ref.latency.p99Ms, ratio(ours.latency.p99Ms, ref.latency.p99Ms)],
    ['errors', ours.errors, ref.errors, undefined],
    ['first subnet (bn1)', ours.samples?.['first']?.split(' ')[1], ref.firstSubnet, undefined],
    [`reference: removing its ${ref.removed.toLocaleString('en')} networks, s`, undefined, ref.removeSeconds, undefined],
  );
  ctx.print(table(['creates/s unless said', 'swarmplane', 'reference', 'swarmplane/ref'], rows));
  if (ref.firstError) ctx.print(`  reference first error: ${ref.firstError}`);
  const verdict = (a: number | undefined, b: number): string => (a === undefined ? 'n/a' : a > b ? 'met' : 'MISSED');
  ctx.print(
    `  target (ours above the reference's): fresh, first ${n.toLocaleString('en')}: ${verdict(ours.firstReferenceWindowPerSecond, ref.createsPerSecond)}; steady: ${verdict(ours.warmReferenceWindowPerSecond, ref.steadyPerSecond)}; whole run: ${verdict(ours.createsPerSecond, ref.createsPerSecond)}.`,
  );
  ctx.print('  fresh = our services just started (V8 compiles the hot paths during the first few thousand creates); the reference swarm was just initialised, its dockerd already running.');
}

// ---------------------------------------------------------------------------------------------

async function initSwarm(stack: BenchStack): Promise<void> {
  const client = RawConnection.engine(parseDockerHost(stack.dockerHost));
  try {
    const body = { ListenAddr: `127.0.0.1:${await freePort()}`, AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [POOL], SubnetSize: SUBNET_BITS };
    const init = await client.request('POST', '/v1.47/swarm/init', JSON.stringify(body));
    if (init.status !== 200) throw new Error(`swarm init: ${init.status} ${init.body.toString('utf8').trim()}`);
  } finally {
    client.close();
  }
}

function createNetworks(
  endpoint: Endpoint,
  apiVersion: string,
  count: number,
  connections: number,
  name: (i: number) => string,
  timeLimitMs: number,
  progress?: (done: number, elapsedMs: number) => void,
  onId?: (id: string) => void,
): Promise<LoopResult> {
  const pool = Array.from({ length: connections }, () => RawConnection.engine(endpoint));
  const path = `/v${apiVersion}/networks/create`;
  return closedLoop(pool, {
    count,
    timeLimitMs,
    maxErrors: 100,
    request: (i) => ({ method: 'POST', path, body: `{"Name":"${name(i)}","Driver":"overlay"}` }),
    ok: (r) => r.status === 201,
    ...(onId ? { onOk: (r: { body: Buffer }) => onId((JSON.parse(r.body.toString('utf8')) as { Id: string }).Id) } : {}),
    ...(progress ? { progress, progressEvery: 500 } : {}),
  }).finally(() => {
    for (const connection of pool) connection.close();
  });
}

function processPids(stack: BenchStack): Record<string, number | undefined> {
  const pids: Record<string, number | undefined> = {};
  for (const name of PROCESSES) pids[name] = stack.stack.processes.get(name)?.[0]?.pid;
  pids['nats-server'] = stack.natsPid;
  return pids;
}
