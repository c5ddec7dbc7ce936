/**
 * Issue 12 under load: 2,000 `POST /networks/create` on 8 connections while every service and
 * then the gateway is killed by PID (SIGKILL), one after the other, and nobody calls restart: the
 * supervisor alone brings each back. Afterwards the stack is whole (`/_ping` 200, creates work),
 * every acknowledged create is listed once with a subnet of its own, and the log holds exactly one
 * NetworkCreated per create that was made (acknowledged, or settled through the audit API by its
 * correlation id when the client lost the answer). Prints the time each process took to come back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NetworkSpaceEventTypes } from '#contracts';
import { JetStreamEventStore, isEventOf, type RecordedEvent } from '#eventstore';
import { freePort } from '#testing';
import { SERVICES } from '../scripts/stack.js';
import { runCreateLoad, type CreateLoadReport, type CreateResult } from './support/create-load.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

const TOTAL = Number(process.env.KILL_LOAD_CREATES ?? '2000');
const CONNECTIONS = 8;
const VICTIMS = [...SERVICES, 'gateway'];

interface Recovery {
  readonly app: string;
  readonly pid: number;
  readonly ackedBefore: number;
  /** From the kill to the restarted process's ready line. */
  readonly readyMs: number;
  /** From the kill to the first 201 of a create sent after the process was dead. */
  readonly firstCreateMs: number;
}

describe(`${TOTAL} network creates on ${CONNECTIONS} connections while each process is killed in turn`, () => {
  let fx: StackFixture;

  before(async () => {
    // The load speaks TCP only.
    fx = await startStackFixture({ tcp: true });
    const swarmPort = await freePort();
    const init = await fx.api('POST', '/v1.47/swarm/init', { ListenAddr: `127.0.0.1:${swarmPort}`, AdvertiseAddr: `127.0.0.1:${swarmPort}` });
    assert.equal(init.status, 200, init.text);
  });
  after(async () => {
    await fx?.stop();
  });

  it('comes back whole without help, loses no acknowledged create and makes none twice', async () => {
    const prefix = `kl-${randomBytes(3).toString('hex')}`;
    const acks: { sentAt: number; answeredAt: number }[] = [];
    let loadDone = false;
    const started = Date.now();
    const load = runCreateLoad({
      gateway: fx.gatewayAddr,
      total: TOTAL,
      connections: CONNECTIONS,
      prefix,
      onAck: (sentAt, answeredAt) => acks.push({ sentAt, answeredAt }),
    }).finally(() => (loadDone = true));
    const recoveries = await killEachInTurn(fx, acks, () => loadDone);
    const report = await load;
    const loadSeconds = (Date.now() - started) / 1000;
    print(report, recoveries, loadSeconds);

    assert.deepEqual(report.errors, [], 'only answers a client may retry');
    assert.equal(recoveries.length, VICTIMS.length, 'every kill happened under load');
    for (const app of VICTIMS) assert.equal(fx.stack.restarts(app, 0), 1, `${app} restarted once by the supervisor`);
    assert.equal(report.results.length, TOTAL);

    await assertWholeAgain(fx, prefix);
    const made = report.results.filter((r) => r.outcome !== 'not-made');
    await assertListedOnceWithOwnSubnet(fx, made);
    await assertOneEventPerCreate(fx.natsUrl, prefix, report.results);
  });
});

/**
 * Kills the victims by PID one after the other, each once a further share of the creates is
 * acknowledged (a restart under this load takes seconds, so the next kill does not wait for it),
 * and follows each one's return.
 */
async function killEachInTurn(fx: StackFixture, acks: readonly { sentAt: number; answeredAt: number }[], loadDone: () => boolean): Promise<Recovery[]> {
  const recoveries: Promise<Recovery>[] = [];
  for (const [k, app] of VICTIMS.entries()) {
    const threshold = Math.floor(((k + 1) * TOTAL) / (VICTIMS.length + 1));
    await until(() => acks.length >= threshold || loadDone(), 120_000);
    if (loadDone()) break;
    const ackedBefore = acks.length;
    const killedAt = Date.now();
    const pid = await fx.stack.kill(app, 0);
    const deadAt = Date.now();
    recoveries.push(
      (async () => {
        const ready = fx.stack.whenReady(app, 0).then(() => Date.now());
        await until(() => acks.some((a) => a.sentAt >= deadAt) || loadDone(), 60_000);
        const firstCreate = Math.min(...acks.filter((a) => a.sentAt >= deadAt).map((a) => a.answeredAt));
        return { app, pid, ackedBefore, readyMs: (await within(60_000, ready)) - killedAt, firstCreateMs: firstCreate - killedAt };
      })(),
    );
  }
  return Promise.all(recoveries);
}

/** When `/_ping` first answers 200 (polled every 50 ms, bounded). */
async function pingOkAfter(fx: StackFixture): Promise<number> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const status = await fx.api('GET', '/_ping').then((r) => r.status, () => 0);
    if (status === 200) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Number.NaN;
}

async function assertWholeAgain(fx: StackFixture, prefix: string): Promise<void> {
  assert.ok(Number.isFinite(await pingOkAfter(fx)), '/_ping answers 200 again');
  const create = await fx.api('POST', '/v1.47/networks/create', { Name: `${prefix}-after`, Driver: 'overlay' });
  assert.equal(create.status, 201, create.text);
  const docker = await fx.docker('network', 'create', '--driver', 'overlay', `${prefix}-after-cli`);
  assert.equal(docker.code, 0, docker.stderr);
}

async function assertListedOnceWithOwnSubnet(fx: StackFixture, made: readonly CreateResult[]): Promise<void> {
  const listed = JSON.parse((await fx.api('GET', '/v1.47/networks')).text) as { Id: string; Name: string; IPAM: { Config: { Subnet: string }[] } }[];
  for (const create of made) {
    const matches = listed.filter((n) => n.Name === create.name);
    assert.equal(matches.length, 1, `${create.name} (${create.outcome}) listed once`);
    assert.equal(matches[0]!.Id, create.id, `${create.name} is the network the client was told of`);
  }
  const subnets = listed.map((n) => n.IPAM.Config[0]?.Subnet);
  assert.ok(subnets.every((s) => s !== undefined), 'every network has a subnet');
  assert.equal(new Set(subnets).size, subnets.length, 'no subnet twice');
}

async function assertOneEventPerCreate(natsUrl: string, prefix: string, results: readonly CreateResult[]): Promise<void> {
  const store = await JetStreamEventStore.connect({ servers: natsUrl });
  const created = new Map<string, RecordedEvent[]>();
  try {
    for await (const event of store.readAll()) {
      const cid = event.metadata.correlationId;
      if (event.type !== 'NetworkCreated' || !cid?.startsWith(`${prefix}-`)) continue;
      created.set(cid, [...(created.get(cid) ?? []), event]);
    }
  } finally {
    await store.close();
  }
  const expected = new Set(results.filter((r) => r.outcome !== 'not-made').map((r) => r.correlationId));
  for (const result of results) {
    const events = created.get(result.correlationId) ?? [];
    const want = result.outcome === 'not-made' ? 0 : 1;
    assert.equal(events.length, want, `${result.correlationId} (${result.outcome}): ${events.length} NetworkCreated`);
    const first = events[0];
    if (want === 1) assert.ok(first && isEventOf(NetworkSpaceEventTypes, first) && first.type === 'NetworkCreated' && first.data.networkId === result.id, `${result.correlationId}: network ${result.id}`);
  }
  const stray = [...created.keys()].filter((cid) => !expected.has(cid) && !cid.endsWith('-after'));
  assert.deepEqual(stray, [], 'no NetworkCreated that no client knows of');
}

function print(report: CreateLoadReport, recoveries: readonly Recovery[], loadSeconds: number): void {
  const count = (outcome: string): number => report.results.filter((r) => r.outcome === outcome).length;
  console.log(`${report.results.length} creates in ${loadSeconds.toFixed(1)} s: ${count('acked')} acknowledged, ${count('made')} made and ${count('not-made')} not made per the audit API after a lost answer`);
  console.log('recovery after SIGKILL, ms from the kill to: the first create sent after the kill acknowledged / the restarted process ready');
  for (const r of recoveries) {
    console.log(`  ${r.app.padEnd(14)} pid ${String(r.pid).padEnd(7)} killed after ${String(r.ackedBefore).padStart(4)} acks: ${String(r.firstCreateMs).padStart(5)} / ${String(r.readyMs).padStart(5)}`);
  }
  const retried = [...report.retried.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`retried answers: ${retried.reduce((n, [, c]) => n + c, 0)}`);
  for (const [what, n] of retried) console.log(`  ${String(n).padStart(5)}  ${what}`);
  for (const error of report.errors.slice(0, 20)) console.log(`  error: ${error}`);
}

/** `promise`'s value, or NaN when it takes longer than `ms`. */
function within(ms: number, promise: Promise<number>): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Number.NaN), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
