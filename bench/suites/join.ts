/**
 * Suite `join` (issue 4): nodes joining through the manager's swarm port, as agents do
 * (libs/contracts/src/swarm-port/protocol.ts): `GET /swarm/v1/ca` without verification, then
 * `POST /swarm/v1/join` over TLS verified against that CA (server name `swarm-ca`), with the worker
 * token and a CSR made beforehand (not timed).
 *
 * 1. Joins at each client count (default 1 and 32; keep-alive TLS connection per client, closed
 *    loop, unmeasured warm-up first): joins/s, p50/p99, errors, CPU per join of every process.
 * 2. Stages, one at a time: NATS round trip, the JetStream reads a join makes, and each RPC of the
 *    join path called directly on NATS (tokens.validate, ca.node-certificate.issue, nodes.join).
 * 3. A census of every NATS message a join causes (a `>` subscriber, 50 sequential joins).
 * 4. With `--profile`: V8 CPU profiles of the stack's processes during each measured level.
 *
 * The swarm is initialised with a heartbeat period of one hour: the joined nodes do not heartbeat,
 * and with the default 5 s node-service would mark them down (one append each) during the run.
 */
import { X509Certificate, createPrivateKey, createPublicKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { messageCensus, printCensus, type Census } from '../support/nats-census.js';
import { connect } from '@nats-io/transport-node';
import { Streams, Subjects, SWARM_PORT_SERVER_NAME, SwarmPortPaths } from '#contracts';
import { swarmIdFromBytes } from '#domain';
import { createRootCa, issueNodeCertificate, kekId, openSecret, parseCsr, sealSecret } from '#pki';
import { generateKeysAndCsrs, type KeyAndCsr } from '../support/keygen.js';
import { freePort } from '#testing';
import { closedLoop, latencySummary, pacedLoop, windowRate, type LatencySummary } from '../support/closed-loop.js';
import { collectProfiles, printProfile, profilerEnv, summarizeProfile, toggleProfilers, type ProfileSummary } from '../support/cpu-profile.js';
import { parseDockerHost } from '../support/engine-client.js';
import { machineBusySeconds, processCpuSeconds } from '../support/proc.js';
import { kdamondCpuSeconds, kdamondPids } from '../support/kdamond.js';
import { RawConnection } from '../support/raw-request.js';
import { section, table } from '../support/report.js';
import type { BenchStack } from '../support/stack.js';
import { round } from '../support/stats.js';
import type { BenchContext, Suite } from '../support/suite.js';

const DEFAULT_LEVELS = [1, 32];
const DEFAULT_COUNT = 2_000;
const SINGLE_CLIENT_COUNT = 200;
/**
 * Joins on the fresh stack before any level, at the widest client count: the processes reach their
 * steady state only after ~2,000-3,000 joins (JIT; with 1,500 the 32-client level still sped up from
 * its first quarter to its last), and a control plane runs for days, so the levels measure the
 * steady state. The cold start is measured and reported too (`coldStart`).
 */
const DEFAULT_START_WARMUP = 3_000;
const LEVEL_TIME_LIMIT_MS = 3 * 60_000;
const STAGE_CALLS = 100;
const STAGE_WARMUP = 10;
const CENSUS_JOINS = 50;
const TARGET_RATE = 200;
const TARGET_P99_MS = 100;
const TARGET_CLIENTS = 32;
const HEARTBEAT_PERIOD_NS = 3600e9;
/** Open-loop levels: offered joins/s at the largest client count (the target rate, and half of it). */
const PACED_RATES = [TARGET_RATE, TARGET_RATE / 2];
const MICRO_OPS = 500;
const SERVICES = ['gateway', 'node-service', 'ca-service', 'token-service', 'ipam-service'] as const;
const EVENT_STREAM = 'SWARM_EVENTS';
const SUBJECT_PREFIX = 'es';

interface Joiner {
  readonly keyPem: string;
  readonly csrPem: string;
  body: string;
}

interface Step {
  clients: number;
  joins: number;
  warmup: number;
  /** Open loop at this rate (joins/s offered); closed loop when absent. */
  rate?: number;
}

interface LevelFigures {
  mode: string;
  clients: number;
  offeredPerSecond?: number;
  /** Paced: sends that started more than 1 ms after their due time (all connections were busy). */
  lateStarts?: number;
  /** Joins/s over the first and the last quarter of the joins (completion order). */
  firstQuarterPerSecond: number;
  lastQuarterPerSecond: number;
  joins: number;
  warmup: number;
  ok: number;
  errors: number;
  firstError?: string;
  stoppedEarly?: string;
  seconds: number;
  joinsPerSecond: number;
  latency: LatencySummary;
  tlsConnectionsOpened: number;
  /** CPU ms per join of each process (and the bench client) during the measured joins. */
  cpuMsPerJoin: Record<string, number | undefined>;
  /** % of one core during the measured joins. */
  cpuPct: Record<string, number | undefined>;
  /** Quarters of the measured joins (levels of 2,000 or more): rate and CPU ms per join of each process. */
  quarters?: { from: number; to: number; nodesAtStart: number; perSecond: number; cpuMsPerJoin: Record<string, number | undefined> }[];
  /** CPU of the machine's kdamond kernel threads during the level (absent when it has none). */
  kdamondCpuMs?: number;
  certificateCheck: string;
  profiles?: Record<string, ProfileSummary>;
}

interface StageRow {
  stage: string;
  calls: number;
  errors: number;
  latency: LatencySummary;
  firstError?: string;
}

export const suite: Suite = {
  async run(ctx) {
    const levels = ctx.options.connectionsGiven ? [...ctx.options.connections] : DEFAULT_LEVELS;
    const count = ctx.options.count ?? DEFAULT_COUNT;
    const plan: Step[] = levels.map((clients) => ({
      clients,
      joins: clients === 1 ? Math.min(SINGLE_CLIENT_COUNT, count) : count,
      warmup: Math.max(40, 2 * clients),
    }));
    const startWarmup = ctx.options.warmup ?? DEFAULT_START_WARMUP;
    const widest = Math.max(...levels);
    if (widest > 1) {
      for (const rate of PACED_RATES) plan.push({ clients: widest, joins: Math.max(1, Math.round((count * rate) / TARGET_RATE)), warmup: 2 * widest, rate });
    }


    // Keys and CSRs first (not timed as joins).
    const needed = startWarmup + plan.reduce((n, p) => n + p.joins + p.warmup, 0) + 3 * (STAGE_CALLS + STAGE_WARMUP) + CENSUS_JOINS;
    ctx.progress(`generating ${needed} P-256 keys and CSRs (generateNodeKeyAndCsr)`);
    const generated = performance.now();
    const keygen = await generateKeysAndCsrs(needed);
    const joiners: Joiner[] = keygen.pairs.map((pair) => ({ ...pair, body: '' }));
    const generateMs = keygen.generateMs;
    const generateWallMs = performance.now() - generated;
    if (keygen.stalls) ctx.progress(`  ${keygen.stalls} keygen child process(es) hung and were killed (see bench/support/keygen-child.ts)`);
    ctx.progress(`the ca-service's per-join work, alone in this process (${MICRO_OPS} ops each)`);
    const micro = cryptoMicro(joiners.slice(0, 16), generateMs / needed);
    let cursor = 0;
    const take = (n: number): Joiner[] => {
      const slice = joiners.slice(cursor, cursor + n);
      cursor += n;
      if (slice.length < n) throw new Error('ran out of pre-generated CSRs');
      return slice;
    };

    const profileDir = ctx.options.profile ? mkdtempSync(path.join(os.tmpdir(), 'swarmplane-join-profiles-')) : undefined;
    ctx.progress(`starting the stack${profileDir ? ` (CPU profiler hooks, profiles in ${profileDir})` : ''}`);
    const stack = await ctx.startStack(profileDir ? profilerEnv(profileDir) : {});
    const swarmPort = await freePort();
    const api = RawConnection.engine(parseDockerHost(stack.dockerHost));
    ctx.defer(() => api.close());
    const init = await api.request(
      'POST',
      '/v1.47/swarm/init',
      JSON.stringify({ ListenAddr: `127.0.0.1:${swarmPort}`, AdvertiseAddr: '127.0.0.1', Spec: { Dispatcher: { HeartbeatPeriod: HEARTBEAT_PERIOD_NS } } }),
    );
    if (init.status !== 200) throw new Error(`swarm init: ${init.status} ${init.body.toString('utf8')}`);
    const swarm = JSON.parse((await api.request('GET', '/v1.47/swarm')).body.toString('utf8')) as {
      ID: string;
      JoinTokens: { Worker: string };
      TLSInfo: { TrustRoot: string };
    };
    const token = swarm.JoinTokens.Worker;
    const clusterId = swarm.ID;

    // The root CA, fetched without verification as an agent does (it would check the digest).
    const insecure = RawConnection.tls('127.0.0.1', swarmPort, { rejectUnauthorized: false, servername: SWARM_PORT_SERVER_NAME });
    const caResponse = await insecure.request('GET', SwarmPortPaths.rootCa);
    insecure.close();
    const ca = caResponse.body.toString('utf8');
    if (caResponse.status !== 200 || !ca.includes('BEGIN CERTIFICATE')) throw new Error(`GET ${SwarmPortPaths.rootCa}: ${caResponse.status} ${ca.slice(0, 200)}`);
    if (ca.trim() !== swarm.TLSInfo.TrustRoot.trim()) throw new Error('the swarm port CA differs from TLSInfo.TrustRoot');
    let hostSerial = 0;
    for (const joiner of joiners) {
      const description = { hostname: `bench-${++hostSerial}`, engineVersion: 'bench', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 2 ** 31 };
      joiner.body = JSON.stringify({ token, csrPem: joiner.csrPem, availability: 'active', description });
    }
    const connectTls = (): RawConnection => RawConnection.tls('127.0.0.1', swarmPort, { ca, servername: SWARM_PORT_SERVER_NAME });

    const pids: Record<string, number | undefined> = {};
    for (const name of SERVICES) pids[name] = stack.stack.processes.get(name)?.[0]?.pid;
    pids['nats-server'] = stack.natsPid;

    // 0. The cold start: fresh processes, measured but not part of the levels.
    let coldStart: ColdStartFigures | undefined;
    if (startWarmup > 0) {
      ctx.progress(`cold start: ${startWarmup} joins at ${widest} client(s) on the fresh stack (JIT warm-up)`);
      coldStart = await measureColdStart(widest, take(startWarmup), connectTls);
      ctx.progress(`  ${coldStart.joinsPerSecond} joins/s (first quarter ${coldStart.firstQuarterPerSecond}/s, last ${coldStart.lastQuarterPerSecond}/s), p50 ${coldStart.latency.p50Ms} ms, p99 ${coldStart.latency.p99Ms} ms`);
    }

    // 1. Joins at each client count.
    const figures: LevelFigures[] = [];
    let nodesSoFar = 1 + startWarmup;
    for (const [index, step] of plan.entries()) {
      ctx.checkDeadline();
      ctx.progress(`${step.clients} client(s)${step.rate ? `, paced at ${step.rate} joins/s` : ''}: ${step.warmup} warm-up joins, then ${step.joins} measured`);
      figures.push(await measureLevel(ctx, step, take(step.warmup), take(step.joins), connectTls, ca, pids, profileDir ? { dir: profileDir, window: index } : undefined, nodesSoFar + step.warmup));
      nodesSoFar += step.warmup + step.joins;
      const f = figures.at(-1);
      if (f) ctx.progress(`  ${f.joinsPerSecond} joins/s, p50 ${f.latency.p50Ms} ms, p99 ${f.latency.p99Ms} ms, ${f.errors} errors`);
    }

    // 2 and 3: stages and census, over NATS directly.
    const nc = await connect({ servers: stack.natsUrl, name: 'bench-join', noAsyncTraces: true });
    ctx.defer(async () => {
      if (!nc.isClosed()) await nc.close();
    });
    ctx.progress(`stages: ${STAGE_CALLS} sequential calls each`);
    const stages = await measureStages(nc, { token, clusterId, joiners: take(3 * (STAGE_CALLS + STAGE_WARMUP)), connectTls });
    ctx.progress(`census: every NATS message during ${CENSUS_JOINS} sequential joins`);
    const censusJoiners = take(CENSUS_JOINS);
    const censusClient = connectTls();
    const census = await messageCensus(nc, CENSUS_JOINS, async (i) => {
      const response = await censusClient.request('POST', SwarmPortPaths.join, (censusJoiners[i] as Joiner).body);
      if (response.status !== 200) throw new Error(`census join: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 200)}`);
    }).finally(() => censusClient.close());
    await nc.close();

    const nodes = await api.request('GET', '/v1.47/nodes');
    const nodeCount = nodes.status === 200 ? (JSON.parse(nodes.body.toString('utf8')) as unknown[]).length : Number.NaN;
    api.close();

    printReport(ctx, { micro, keygenStalls: keygen.stalls, generateWallMs, generateMs, needed, coldStart, figures, stages, census, nodeCount, expectedNodes: 1 + startWarmup + plan.reduce((n, p) => n + p.joins + p.warmup, 0) + 2 * (STAGE_CALLS + STAGE_WARMUP) + CENSUS_JOINS, profileDir });
    return {
      keysAndCsrs: { count: needed, ms: round(generateMs), wallMs: round(generateWallMs), stalledChildrenKilled: keygen.stalls },
      caWorkAlone: micro,
      ...(coldStart ? { coldStart } : {}),
      levels: figures,
      stages,
      census,
      nodes: nodeCount,
      heartbeatPeriodS: HEARTBEAT_PERIOD_NS / 1e9,
      ...(profileDir ? { profileDir } : {}),
    };
  },
};

interface ColdStartFigures {
  clients: number;
  joins: number;
  seconds: number;
  joinsPerSecond: number;
  firstQuarterPerSecond: number;
  lastQuarterPerSecond: number;
  latency: LatencySummary;
}

/** A join answered with a worker's certificate. */
const isWorkerJoin = (r: { status: number; body: Buffer }): boolean => r.status === 200 && r.body.includes('"role":"worker"');

/** Request i of a loop over pre-generated joiners. */
const joinRequest =
  (joiners: readonly Joiner[]) =>
  (i: number): { method: string; path: string; body: string } => ({ method: 'POST', path: SwarmPortPaths.join, body: (joiners[i] as Joiner).body });

/** The first joins on a fresh stack, closed loop: what a just-started control plane does. */
async function measureColdStart(clients: number, joiners: readonly Joiner[], connectTls: () => RawConnection): Promise<ColdStartFigures> {
  const connections = Array.from({ length: clients }, connectTls);
  try {
    const result = await closedLoop(connections, {
      count: joiners.length,
      timeLimitMs: LEVEL_TIME_LIMIT_MS,
      maxErrors: 20,
      request: joinRequest(joiners),
      ok: isWorkerJoin,
    });
    if (result.errors > 0) throw new Error(`cold-start joins failed: ${result.firstError}`);
    const quarter = Math.max(1, Math.floor(result.done / 4));
    return {
      clients,
      joins: result.ok,
      seconds: round(result.elapsedMs / 1000),
      joinsPerSecond: round(result.ok / (result.elapsedMs / 1000)),
      firstQuarterPerSecond: Math.round(windowRate(result.doneAt, 0, quarter)),
      lastQuarterPerSecond: Math.round(windowRate(result.doneAt, result.done - quarter, result.done)),
      latency: latencySummary(result.latencies),
    };
  } finally {
    for (const connection of connections) connection.close();
  }
}

async function measureLevel(
  ctx: BenchContext,
  step: Step,
  warm: readonly Joiner[],
  measured: readonly Joiner[],
  connectTls: () => RawConnection,
  ca: string,
  pids: Record<string, number | undefined>,
  profile: { dir: string; window: number } | undefined,
  nodesBefore: number,
): Promise<LevelFigures> {
  const clients = Array.from({ length: step.clients }, connectTls);
  try {
    const warmed = await closedLoop(clients, {
      count: warm.length,
      timeLimitMs: 60_000,
      maxErrors: 20,
      request: joinRequest(warm),
      ok: isWorkerJoin,
    });
    if (warmed.errors > 0) throw new Error(`warm-up joins at ${step.clients} clients failed: ${warmed.firstError}`);
    const openedBefore = clients.reduce((n, c) => n + c.connectionsOpened, 0);
    const processes = Object.entries(pids);
    const cpuBefore = processes.map(([, pid]) => processCpuSeconds(pid));
    const clientBefore = process.cpuUsage();
    const machineBefore = machineBusySeconds();
    const livePids = processes.flatMap(([name, pid]) => (pid !== undefined && name !== 'nats-server' ? [pid] : []));
    if (profile) toggleProfilers(livePids);
    let sample: { body: Buffer; joiner: Joiner } | undefined;
    // Quarter marks (by 100 completions): CPU of every process, to see a cost that grows with the cluster.
    const quarterSize = measured.length >= 2000 ? Math.round(measured.length / 4 / 100) * 100 : 0;
    const mark = (done: number): { done: number; at: number; cpu: (number | undefined)[] } => ({ done, at: performance.now(), cpu: processes.map(([, pid]) => processCpuSeconds(pid)) });
    const marks = [mark(0)];
    const loopOptions = {
      count: measured.length,
      timeLimitMs: LEVEL_TIME_LIMIT_MS,
      maxErrors: 50,
      request: joinRequest(measured),
      ok: isWorkerJoin,
      onOk: (response: { body: Buffer }, i: number) => {
        sample ??= { body: response.body, joiner: measured[i] as Joiner };
      },
      progressEvery: 100,
      progress: (done: number, ms: number) => {
        if (done % 500 === 0) ctx.progress(`  ${done} joins, ${Math.round(done / (ms / 1000))}/s so far`);
        if (quarterSize > 0 && done >= marks.length * quarterSize && marks.length < 4) marks.push(mark(done));
      },
    };
    const kdamonds = kdamondPids();
    const kdamondBefore = kdamondCpuSeconds(kdamonds);
    const result = step.rate ? await pacedLoop(clients, { ...loopOptions, ratePerSecond: step.rate }) : await closedLoop(clients, loopOptions);
    const kdamondAfter = kdamondCpuSeconds(kdamonds);
    if (process.env.JOIN_SAMPLES_DIR) {
      const rows = Array.from(result.doneAt, (t, i) => `${t.toFixed(2)},${result.latencies[i]!.toFixed(2)}`);
      writeFileSync(path.join(process.env.JOIN_SAMPLES_DIR, `level-${step.clients}-${step.rate ?? 'closed'}.csv`), `# start ${Date.now() - result.elapsedMs}\n` + rows.join('\n'));
    }
    const seconds = result.elapsedMs / 1000;
    const client = process.cpuUsage(clientBefore);
    const cpuAfter = processes.map(([, pid]) => processCpuSeconds(pid));
    const machineAfter = machineBusySeconds();
    let profiles: Record<string, ProfileSummary> | undefined;
    if (profile) {
      toggleProfilers(livePids);
      const apps = processes.flatMap(([app, pid]) => (pid !== undefined && app !== 'nats-server' ? [{ app, pid }] : []));
      const files = await collectProfiles(profile.dir, apps, profile.window);
      profiles = {};
      for (const [app, file] of files) profiles[app] = summarizeProfile(file, 10);
    }
    const cpuMsPerJoin: Record<string, number | undefined> = {};
    const cpuPct: Record<string, number | undefined> = {};
    processes.forEach(([name], i) => {
      const before = cpuBefore[i];
      const after = cpuAfter[i];
      const used = before === undefined || after === undefined ? undefined : after - before;
      cpuMsPerJoin[name] = used === undefined || result.ok === 0 ? undefined : round((used * 1000) / result.ok);
      cpuPct[name] = used === undefined ? undefined : Math.round((used / seconds) * 100);
    });
    const clientSeconds = (client.user + client.system) / 1e6;
    cpuMsPerJoin['bench client'] = result.ok ? round((clientSeconds * 1000) / result.ok) : undefined;
    cpuPct['bench client'] = Math.round((clientSeconds / seconds) * 100);
    if (machineBefore !== undefined && machineAfter !== undefined) {
      const ours = processes.reduce((sum, _, i) => sum + ((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)), clientSeconds);
      cpuPct['others on the machine'] = Math.max(0, Math.round(((machineAfter - machineBefore - ours) / seconds) * 100));
    }
    const quarter = Math.max(1, Math.floor(result.done / 4));
    let quarters: LevelFigures['quarters'];
    if (quarterSize > 0) {
      marks.push(mark(result.done));
      quarters = [];
      for (let q = 1; q < marks.length; q++) {
        const a = marks[q - 1]!;
        const b = marks[q]!;
        const joins = b.done - a.done;
        if (joins <= 0) continue;
        const perJoin: Record<string, number | undefined> = {};
        processes.forEach(([name], i) => {
          const x = a.cpu[i];
          const y = b.cpu[i];
          perJoin[name] = x === undefined || y === undefined ? undefined : round(((y - x) * 1000) / joins);
        });
        quarters.push({ from: a.done + 1, to: b.done, nodesAtStart: nodesBefore + a.done, perSecond: Math.round(joins / ((b.at - a.at) / 1000)), cpuMsPerJoin: perJoin });
      }
    }
    return {
      mode: step.rate ? `paced ${step.rate}/s` : 'closed loop',
      clients: step.clients,
      ...(step.rate ? { offeredPerSecond: step.rate, lateStarts: (result as { lateStarts?: number }).lateStarts ?? 0 } : {}),
      firstQuarterPerSecond: Math.round(windowRate(result.doneAt, 0, quarter)),
      lastQuarterPerSecond: Math.round(windowRate(result.doneAt, result.done - quarter, result.done)),
      joins: step.joins,
      warmup: step.warmup,
      ok: result.ok,
      errors: result.errors,
      ...(result.firstError ? { firstError: result.firstError } : {}),
      ...(result.stoppedEarly ? { stoppedEarly: result.stoppedEarly } : {}),
      seconds: round(seconds),
      joinsPerSecond: round(result.ok / seconds),
      latency: latencySummary(result.latencies),
      tlsConnectionsOpened: clients.reduce((n, c) => n + c.connectionsOpened, 0) - openedBefore,
      cpuMsPerJoin,
      cpuPct,
      ...(quarters ? { quarters } : {}),
      ...(kdamondBefore !== undefined && kdamondAfter !== undefined ? { kdamondCpuMs: Math.round((kdamondAfter - kdamondBefore) * 1000) } : {}),
      certificateCheck: sample ? checkCertificate(sample.body, sample.joiner, ca) : 'no successful join',
      ...(profiles ? { profiles } : {}),
    };
  } finally {
    for (const c of clients) c.close();
  }
}

/** The node certificate of a reply: for the CSR's key, signed by the CA, OU swarm-worker, CN the node ID. */
function checkCertificate(body: Buffer, joiner: Joiner, ca: string): string {
  try {
    const reply = JSON.parse(body.toString('utf8')) as { nodeId: string; clusterId: string; role: string; certPem: string };
    const cert = new X509Certificate(reply.certPem);
    const problems: string[] = [];
    if (!cert.checkPrivateKey(createPrivateKey(joiner.keyPem))) problems.push('not for the CSR key');
    if (!cert.verify(new X509Certificate(ca).publicKey)) problems.push('not signed by the root CA');
    if (!cert.subject.includes('OU=swarm-worker')) problems.push(`subject ${cert.subject.replace(/\n/g, ', ')}`);
    if (!cert.subject.includes(`CN=${reply.nodeId}`)) problems.push('CN is not the node ID');
    if (!cert.subject.includes(`O=${reply.clusterId}`)) problems.push('O is not the cluster ID');
    return problems.length ? `BAD: ${problems.join('; ')}` : 'ok (key, CA signature, CN node ID, OU swarm-worker, O cluster ID)';
  } catch (error) {
    return `BAD: ${(error as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------

interface RpcReply {
  err?: unknown;
  response?: unknown;
}

async function rpc(nc: NatsConnection, subject: string, data: unknown): Promise<unknown> {
  // NestJS's NATS transport: {pattern, data, id} in, {response | err, isDisposed, id} out.
  const reply = await nc.request(subject, JSON.stringify({ pattern: subject, data, id: randomUUID() }), { timeout: 10_000 });
  const decoded = reply.json<RpcReply>();
  if (decoded.err !== undefined && decoded.err !== null) throw new Error(`${subject}: ${JSON.stringify(decoded.err).slice(0, 300)}`);
  return decoded.response;
}

async function measureStages(
  nc: NatsConnection,
  input: { token: string; clusterId: string; joiners: readonly Joiner[]; connectTls: () => RawConnection },
): Promise<StageRow[]> {
  const { token, clusterId } = input;
  const context = { correlationId: 'bench-join-stages', actor: 'bench:join' };
  const description = { hostname: 'bench-stage', engineVersion: 'bench', architecture: 'x86_64', os: 'linux', nanoCpus: 2e9, memoryBytes: 2 ** 31 };
  const jsm = await jetstreamManager(nc);
  const echo = nc.subscribe('bench.join.echo', { callback: (_error, msg: Msg) => void msg.respond(msg.data) });
  const https = input.connectTls();
  let next = 0;
  const joiner = (): Joiner => {
    const j = input.joiners[next++];
    if (!j) throw new Error('ran out of pre-generated CSRs for the stages');
    return j;
  };
  const stages: [string, () => Promise<unknown>][] = [
    ['NATS request/reply, bench echo (1 round trip)', () => nc.request('bench.join.echo', '{"x":1}', { timeout: 5000 })],
    ['JetStream STREAM.INFO (headPosition)', () => jsm.streams.info(EVENT_STREAM)],
    ['JetStream MSG.GET last_by_subj (readStream: 1st get)', () => jsm.streams.getMessage(EVENT_STREAM, { last_by_subj: `${SUBJECT_PREFIX}.${Streams.ca(clusterId)}` })],
    ['RPC tokens.validate (token-service)', () => rpc(nc, Subjects.tokensValidate, { token })],
    [
      'RPC ca.node-certificate.issue (ca-service)',
      () =>
        rpc(nc, Subjects.caIssueNodeCertificate, {
          context,
          clusterId,
          nodeId: swarmIdFromBytes(new Uint8Array(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'))),
          role: 'worker',
          expiryNs: 90 * 24 * 3600e9,
          csrPem: joiner().csrPem,
        }),
    ],
    ['RPC nodes.join (node-service: validate+issue+register)', () => rpc(nc, Subjects.nodesJoin, { context, token, csrPem: joiner().csrPem, availability: 'active', addr: '127.0.0.1', description })],
    [
      'HTTPS POST /swarm/v1/join (gateway: all of it)',
      async () => {
        const response = await https.request('POST', SwarmPortPaths.join, joiner().body);
        if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
      },
    ],
  ];
  const rows: StageRow[] = [];
  try {
    for (const [stage, call] of stages) {
      for (let i = 0; i < STAGE_WARMUP; i++) await call().catch(() => undefined);
      const latencies = new Float64Array(STAGE_CALLS);
      let errors = 0;
      let firstError: string | undefined;
      for (let i = 0; i < STAGE_CALLS; i++) {
        const start = performance.now();
        try {
          await call();
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
        latencies[i] = performance.now() - start;
      }
      rows.push({ stage, calls: STAGE_CALLS, errors, latency: latencySummary(latencies), ...(firstError ? { firstError } : {}) });
    }
  } finally {
    echo.unsubscribe();
    https.close();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

function printReport(
  ctx: BenchContext,
  r: { micro: MicroRow[]; keygenStalls: number; generateWallMs: number; generateMs: number; needed: number; coldStart: ColdStartFigures | undefined; figures: LevelFigures[]; stages: StageRow[]; census: Census; nodeCount: number; expectedNodes: number; profileDir: string | undefined },
): void {
  ctx.print(section('joins through the swarm port: POST /swarm/v1/join over verified TLS, keep-alive connection per client, closed loop'));
  ctx.print(
    `  ${r.needed} keys + CSRs made beforehand with generateNodeKeyAndCsr() in child processes: ${Math.round(r.generateMs)} ms of generating (${round(r.generateMs / r.needed)} ms each), ${Math.round(r.generateWallMs)} ms wall; not timed as joins.` +
      (r.keygenStalls ? ` ${r.keygenStalls} child(ren) hung in it and were killed (a fresh EC key's JWK export that never returns).` : ''),
  );
  ctx.print(
    table(
      ['clients', 'load', 'joins', 'seconds', 'joins/s', '1st 1/4 /s', 'last 1/4 /s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'TLS opened', 'target'],
      r.figures.map((f) => [
        f.clients,
        f.mode,
        f.ok,
        f.seconds,
        f.joinsPerSecond,
        f.firstQuarterPerSecond,
        f.lastQuarterPerSecond,
        f.latency.p50Ms,
        f.latency.p90Ms,
        f.latency.p99Ms,
        f.latency.maxMs,
        f.errors,
        f.tlsConnectionsOpened,
        f.clients !== TARGET_CLIENTS
          ? undefined
          : f.offeredPerSecond === undefined
            ? `>= ${TARGET_RATE}/s ${f.joinsPerSecond >= TARGET_RATE ? 'met' : 'MISSED'}, p99 < ${TARGET_P99_MS} ${f.latency.p99Ms < TARGET_P99_MS ? 'met' : 'MISSED'}`
            : `p99 < ${TARGET_P99_MS} ${f.latency.p99Ms < TARGET_P99_MS ? 'met' : 'MISSED'}`,
      ]),
    ),
  );
  for (const f of r.figures) {
    if (f.firstError) ctx.print(`  ${f.clients} clients, first error: ${f.firstError}`);
    if (f.stoppedEarly) ctx.print(`  ${f.clients} clients, stopped early: ${f.stoppedEarly}`);
    ctx.print(`  ${f.clients} clients, ${f.mode}: ${f.warmup} warm-up joins first (not measured)${f.lateStarts ? `; ${f.lateStarts} sends started late (every connection busy)` : ''}; certificate of a reply: ${f.certificateCheck}`);
  }
  const withKdamond = r.figures.filter((f) => f.kdamondCpuMs !== undefined);
  if (withKdamond.length > 0) {
    ctx.print(
      `  kdamond (the kernel's DAMON reclaim thread, not ours) during the levels: ${withKdamond.map((f) => `${Math.round((f.kdamondCpuMs as number) / f.seconds)} ms/s at ${f.clients} clients ${f.mode}`).join(', ')}; ` +
        'while both cores are busy, its bursts every ~550 ms stall every process of the stack for tens of ms (README, performance).',
    );
  }
  const cold = r.coldStart;
  if (cold) {
    ctx.print(
      `  cold start (fresh processes, before the levels; not in the table): ${cold.joins} joins at ${cold.clients} clients, closed loop, ${cold.joinsPerSecond} joins/s ` +
        `(first quarter ${cold.firstQuarterPerSecond}/s, last ${cold.lastQuarterPerSecond}/s), p50 ${cold.latency.p50Ms} ms, p99 ${cold.latency.p99Ms} ms, max ${cold.latency.maxMs} ms: ` +
        'the JIT warms up over the first ~2,000-3,000 joins; the levels above run after it (--warmup N sets its length, 0 skips it).',
    );
  }
  ctx.print('  closed loop: each client sends its next join when the last one answered (so latency = clients / rate);');
  ctx.print('  paced: joins due at a fixed rate, sent on a free connection of the clients; latency counted from the due time.');
  ctx.print(`  nodes listed after the run: ${r.nodeCount}, expected ${r.expectedNodes} (the manager, the cold start, every join of the levels, the stages and the census)`);

  ctx.print(section('CPU per join by process (user+system from /proc, during the measured joins)'));
  const names = Object.keys(r.figures[0]?.cpuMsPerJoin ?? {});
  const rows: (string | number | undefined)[][] = names.map((name) => [
    name,
    ...r.figures.flatMap((f) => [f.cpuMsPerJoin[name], f.cpuPct[name] === undefined ? undefined : `${f.cpuPct[name]}%`]),
  ]);
  rows.push(['others on the machine', ...r.figures.flatMap((f) => [undefined, f.cpuPct['others on the machine'] === undefined ? undefined : `${f.cpuPct['others on the machine']}%`])]);
  rows.push([
    'all stack processes',
    ...r.figures.flatMap((f) => {
      const stackNames = names.filter((n) => n !== 'bench client' && n !== 'others on the machine');
      const ms = stackNames.reduce((sum, n) => sum + (f.cpuMsPerJoin[n] ?? 0), 0);
      const pct = stackNames.reduce((sum, n) => sum + (f.cpuPct[n] ?? 0), 0);
      return [round(ms), `${pct}%`];
    }),
  ]);
  ctx.print(table(['process', ...r.figures.flatMap((f) => [`ms/join ${label(f)}`, `% core ${label(f)}`])], rows));
  ctx.print('  2 cores = 200%; the bench client shares them. others = busy CPU of the whole machine (/proc/stat) minus the stack and the bench.');

  const withQuarters = r.figures.filter((f) => f.quarters && f.quarters.length > 1);
  if (withQuarters.length) {
    ctx.print('\n  by quarter of a level: joins/s and CPU ms per join (/proc); nodes = cluster size when the quarter starts');
    const names = Object.keys(withQuarters[0]?.quarters?.[0]?.cpuMsPerJoin ?? {});
    const quarterRows: (string | number | undefined)[][] = [];
    for (const f of withQuarters) {
      for (const q of f.quarters ?? []) quarterRows.push([`${label(f)} ${q.from}-${q.to}`, q.nodesAtStart, q.perSecond, ...names.map((n) => q.cpuMsPerJoin[n])]);
    }
    ctx.print(table(['level, joins', 'nodes', 'joins/s', ...names.map((n) => `${n.replace('-service', '')} ms`)], quarterRows));
  }

  ctx.print(section(`the ca-service's work for one join, alone in the bench process (${MICRO_OPS} ops each after warm-up), µs per op`));
  ctx.print(table(['operation', 'µs/op', 'what calls it'], r.micro.map((m) => [m.op, m.us, m.where])));

  ctx.print(section(`stages of a join, called one at a time (${STAGE_CALLS} calls each after ${STAGE_WARMUP} warm-up), ms`));
  ctx.print(table(['stage', 'calls', 'errors', 'p50', 'p90', 'p99', 'max'], r.stages.map((s) => [s.stage, s.calls, s.errors, s.latency.p50Ms, s.latency.p90Ms, s.latency.p99Ms, s.latency.maxMs])));
  for (const s of r.stages) if (s.firstError) ctx.print(`  ${s.stage}: first error ${s.firstError}`);
  ctx.print('  RPCs are sent from the bench on NATS as NestJS clients send them; ca.node-certificate.issue gets a fresh node ID each call.');

  ctx.print(section(`NATS messages per join (a '>' subscriber during ${CENSUS_JOINS} sequential joins, background subtracted)`));
  printCensus(ctx, r.census, 'join');

  for (const f of r.figures) {
    if (!f.profiles) continue;
    ctx.print(section(`CPU profiles at ${label(f)} (${f.ok} joins; sampling profiler on, so slower than without --profile)`));
    for (const [app, p] of Object.entries(f.profiles)) printProfile(ctx, app, p, f.ok, 'join');
  }
  if (r.profileDir) ctx.print(`\n  profiles (open in Chrome DevTools > Performance): ${r.profileDir}`);
}

function label(f: LevelFigures): string {
  return f.offeredPerSecond ? `@${f.clients} ${f.offeredPerSecond}/s` : `@${f.clients}`;
}

interface MicroRow {
  op: string;
  us: number;
  where: string;
}

/** What ca-service does for one join, timed alone (no I/O): where its CPU per join goes. */
function cryptoMicro(pairs: readonly KeyAndCsr[], generateMsEach: number): MicroRow[] {
  const ca = createRootCa(new Date());
  const kek = randomBytes(32);
  const sealedCaKey = sealSecret(ca.keyPem, kek, 'ca-bench');
  const publicKeyPem = parseCsr(pairs[0]!.csrPem).publicKeyPem;
  const certPem = issueNodeCertificate({
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    subjectPublicKey: publicKeyPem,
    nodeId: 'n'.repeat(25),
    role: 'worker',
    clusterId: 'c'.repeat(25),
    now: new Date(),
    expiryMs: 90 * 24 * 3600e3,
  }).certPem;
  const caKey = createPrivateKey(ca.keyPem);
  const tbs = randomBytes(400);
  const ops: [string, string, (i: number) => unknown][] = [
    ['parseCsr (decode, createPublicKey, verify, export SPKI PEM)', 'ca: requestedKey', (i) => parseCsr(pairs[i % pairs.length]!.csrPem)],
    ['  createPublicKey(SPKI PEM) alone', 'ca: parseCsr, then again in issueNodeCertificate', () => createPublicKey(publicKeyPem)],
    ['  KeyObject.export(spki, pem) alone', 'ca: parseCsr', () => createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' })],
    ['issueNodeCertificate (CA material cached)', 'ca: issue', (i) =>
      issueNodeCertificate({ caCertPem: ca.certPem, caKeyPem: ca.keyPem, subjectPublicKey: publicKeyPem, nodeId: `n${i}`.padEnd(25, 'x'), role: 'worker', clusterId: 'c'.repeat(25), now: new Date(), expiryMs: 90 * 24 * 3600e3 })],
    ['  ECDSA P-256 sign alone', 'ca: signCertificate', () => sign('sha256', tbs, { key: caKey, dsaEncoding: 'der' })],
    ['new X509Certificate(cert) + serial + validTo', 'ca: issue (event fields)', () => {
      const x = new X509Certificate(certPem);
      return x.serialNumber + x.validTo;
    }],
    ['openSecret (CA key, AES-256-GCM)', 'ca: loadCa; token-service: x2 per validate', () => openSecret(sealedCaKey, kek, 'ca-bench')],
    ['  kekId (SHA-256 of the KEK)', 'openSecret, twice', () => kekId(kek)],
  ];
  const rows: MicroRow[] = [];
  for (const [op, where, fn] of ops) {
    for (let i = 0; i < 50; i++) fn(i);
    const start = performance.now();
    for (let i = 0; i < MICRO_OPS; i++) fn(i);
    rows.push({ op, where, us: round(((performance.now() - start) * 1000) / MICRO_OPS) });
  }
  rows.push({ op: 'generateNodeKeyAndCsr (the joining node; in the keygen children)', where: 'agent', us: round(generateMsEach * 1000) });
  return rows;
}
