/**
 * Chaos on a NATS cluster: three clustered nats-servers (streams replicated 3 times), two replicas
 * of every service and of the gateway (each client talks to one of them). Clients run a mixed load
 * for CHAOS_SECONDS (default 60) while the event stream's leader node is killed and restarted and
 * one replica of each service and of the gateway (the one not serving the swarm port) is killed
 * and restarted. Then: every acknowledged change is in the log exactly once, the read models
 * equal a rebuild from zero, no subnet, VXLAN ID or node ID was handed out twice, and the clients
 * saw only errors they may retry (printed).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NetworkSpaceEventTypes, NodeEventTypes, SwarmEventTypes, type SwarmEvent } from '#contracts';
import { JetStreamEventStore, isEventOf, type Recorded, type RecordedEvent } from '#eventstore';
import { loadOrCreateKek, openSecret } from '#pki';
import { freePort, startNatsCluster, type NatsClusterHandle } from '#testing';
import { presentNetwork, presentNode, presentSwarm } from '../apps/gateway/src/read-model/presenters.js';
import { rebuildReadModels } from '../scripts/read-models.js';
import { SERVICES, startStack, type RunningStack } from '../scripts/stack.js';
import { runLoad, type Acked, type Errors } from './support/chaos-load.js';

const CHAOS_SECONDS = Number(process.env.CHAOS_SECONDS ?? '60');

describe(`a 3-node NATS cluster and two replicas of every service under ${CHAOS_SECONDS} s of chaos`, () => {
  let cluster: NatsClusterHandle;
  let stack: RunningStack | undefined;
  let dataDir: string;
  let gateways: string[];
  let swarmPort: number;

  before(async () => {
    cluster = await startNatsCluster({ size: 3 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-chaos-'));
    gateways = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    stack = await startStack({
      natsUrl: cluster.url,
      dataDir,
      gatewayAddr: gateways[0]!,
      moreGatewayAddrs: gateways.slice(1),
      logDir: path.join(dataDir, 'logs'),
      env: { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1', EVENTSTORE_REPLICAS: '3' },
      replicas: 2,
    });
    swarmPort = await freePort();
    const init = await fetch(`http://${gateways[0]}/v1.47/swarm/init`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ListenAddr: `127.0.0.1:${swarmPort}`, AdvertiseAddr: `127.0.0.1:${swarmPort}`, DefaultAddrPool: [], SubnetSize: 24 }),
    });
    assert.equal(init.status, 200, await init.text());
  });
  after(async () => {
    await stack?.stop();
    await cluster?.stop();
    // CHAOS_KEEP=1 keeps the logs of every process for a post-mortem.
    if (dataDir && !process.env.CHAOS_KEEP) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`logs kept in ${path.join(dataDir, 'logs')}`);
  });

  it('loses nothing acknowledged, doubles nothing, hands out nothing twice, and fails only retryably', async () => {
    const started = Date.now();
    const endAt = started + CHAOS_SECONDS * 1000;
    const chaosLog: string[] = [];
    const load = runLoad({ gateways, swarmPort: { host: '127.0.0.1', port: swarmPort }, clients: 3, done: () => Date.now() >= endAt, maxOpsPerClient: 5_000 });
    const chaos = runChaos(cluster, stack!, CHAOS_SECONDS * 1000, (line) => chaosLog.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${line}`));
    const [{ acked, errors, ops }] = await Promise.all([load, chaos]);
    report(ops, acked, errors, chaosLog);
    const checksStarted = Date.now();

    const store = await JetStreamEventStore.connect({ servers: cluster.servers, replicas: 3 });
    try {
      const log: RecordedEvent[] = [];
      for await (const event of store.readAll()) log.push(event);
      assertAckedOnce(log, acked);
      assertNothingHandedOutTwice(log);
      for (const gateway of gateways) await assertReadModelsEqualRebuild(store, gateway, path.join(dataDir, 'kek'));
      console.log(`checked ${log.length} events in ${((Date.now() - checksStarted) / 1000).toFixed(1)} s`);
    } finally {
      await store.close();
    }
    assert.deepEqual(errors.other, [], 'clients saw only errors they may retry');
    assert.ok(acked.creates.length > 0, 'changes got through');
    // A few seconds of chaos (a quick local run) may not reach every kind; a minute does.
    if (CHAOS_SECONDS >= 30) assert.ok(acked.rotations.length > 0 && acked.joins.length > 0 && acked.removes.length > 0, 'every kind of change got through');
  });
});

/** Kills the event stream's leader node and restarts it, then one replica of each service. */
async function runChaos(cluster: NatsClusterHandle, stack: RunningStack, durationMs: number, note: (line: string) => void): Promise<void> {
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const step = durationMs / 12; // seven steps, each restart taking a few seconds: all inside the load
  await pause(step);
  const leader = await streamLeader(cluster, 'SWARM_EVENTS');
  const node = cluster.nodes.find((n) => n.name === leader) ?? cluster.nodes[0]!;
  note(`SIGKILL nats node ${node.name} (pid ${node.pid}), leader of SWARM_EVENTS`);
  await node.stop('SIGKILL');
  await pause(step);
  await node.start();
  note(`nats node ${node.name} restarted (pid ${node.pid})`);
  for (const app of SERVICES) {
    await pause(step);
    const pid = stack.processes.get(app)?.[0]?.pid;
    await stack.restartReplica(app, 0);
    note(`SIGKILL ${app} replica 0 (pid ${pid}), restarted as pid ${stack.processes.get(app)?.[0]?.pid}`);
  }
  // Gateway 1: gateway 0 handled the init and serves the swarm port.
  await pause(step);
  const pid = stack.processes.get('gateway')?.[1]?.pid;
  await stack.restartReplica('gateway', 1);
  note(`SIGKILL gateway replica 1 (pid ${pid}), restarted as pid ${stack.processes.get('gateway')?.[1]?.pid}`);
}

async function streamLeader(cluster: NatsClusterHandle, stream: string): Promise<string | undefined> {
  const nc = await connect({ servers: cluster.servers });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).cluster?.leader;
  } finally {
    await nc.close();
  }
}

function report(ops: number, acked: Acked, errors: Errors, chaosLog: readonly string[]): void {
  console.log(`chaos: ${chaosLog.join('; ')}`);
  console.log(`operations ${ops}; acknowledged: ${acked.creates.length} creates, ${acked.removes.length} removes, ${acked.rotations.length} rotations, ${acked.joins.length} joins`);
  const retryable = [...errors.retryable.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`retryable errors seen by clients: ${retryable.reduce((n, [, c]) => n + c, 0)}`);
  for (const [what, count] of retryable) console.log(`  ${String(count).padStart(5)}  ${what}`);
  console.log(`other errors: ${errors.other.length}`);
  for (const line of errors.other.slice(0, 20)) console.log(`  ${line}`);
}

function assertAckedOnce(log: readonly RecordedEvent[], acked: Acked): void {
  assert.equal(new Set(log.map((e) => e.id)).size, log.length, 'no event id twice in the log');
  const swarmLog = log.filter((e): e is Recorded<SwarmEvent> => isEventOf(SwarmEventTypes, e));
  const count = (match: (e: Recorded<SwarmEvent>) => boolean): number => swarmLog.filter(match).length;
  for (const { id } of acked.creates) assert.equal(count((e) => e.type === 'NetworkCreated' && e.data.networkId === id), 1, `network ${id} created once`);
  for (const { id } of acked.removes) assert.equal(count((e) => e.type === 'NetworkRemoved' && e.data.networkId === id), 1, `network ${id} removed once`);
  // A 404 after an unanswered remove is only fine if that remove did happen.
  for (const id of acked.goneAfterUnanswered) {
    assert.equal(count((e) => e.type === 'NetworkRemoved' && e.data.networkId === id), 1, `network ${id} removed by an unanswered attempt`);
  }
  for (const { correlationId } of acked.rotations) {
    assert.equal(count((e) => e.type === 'SwarmUpdated' && e.metadata.correlationId === correlationId), 1, `update ${correlationId} once`);
    assert.equal(count((e) => e.type === 'JoinTokenRotated' && e.metadata.correlationId === correlationId), 1, `rotation ${correlationId} once`);
  }
  for (const { nodeId } of acked.joins) assert.equal(count((e) => e.type === 'NodeRegistered' && e.data.nodeId === nodeId), 1, `node ${nodeId} once`);
}

/** Replays the network space: a subnet or VXLAN ID is never held by two live networks; node IDs are unique. */
function assertNothingHandedOutTwice(log: readonly RecordedEvent[]): void {
  const subnets = new Map<string, string>();
  const vxlans = new Map<number, string>();
  const live = new Map<string, { subnet: string; vxlanId: number }>();
  for (const event of log) {
    if (!isEventOf(NetworkSpaceEventTypes, event)) continue;
    if (event.type === 'NetworkCreated') {
      const d = event.data;
      assert.equal(subnets.get(d.subnet), undefined, `subnet ${d.subnet} handed to ${d.networkId} while held by ${subnets.get(d.subnet)}`);
      assert.equal(vxlans.get(d.vxlanId), undefined, `VXLAN ID ${d.vxlanId} handed out twice`);
      subnets.set(d.subnet, d.networkId);
      vxlans.set(d.vxlanId, d.networkId);
      live.set(d.networkId, { subnet: d.subnet, vxlanId: d.vxlanId });
    } else if (event.type === 'NetworkRemoved') {
      const d = event.data;
      const held = live.get(d.networkId);
      assert.ok(held, `removed network ${d.networkId} was live`);
      subnets.delete(held.subnet);
      vxlans.delete(held.vxlanId);
      live.delete(d.networkId);
    }
  }
  const nodeIds = log.flatMap((e) => (isEventOf(NodeEventTypes, e) && e.type === 'NodeRegistered' ? [e.data.nodeId] : []));
  assert.equal(new Set(nodeIds).size, nodeIds.length, 'no node ID twice');
}

/** The gateway's answers equal the same read models rebuilt from position zero (polled, bounded). */
async function assertReadModelsEqualRebuild(store: JetStreamEventStore, gateway: string, kekFile: string): Promise<void> {
  const kek = loadOrCreateKek(kekFile);
  const get = async (p: string): Promise<unknown> => (await fetch(`http://${gateway}/v1.47${p}`)).json();
  let live: unknown;
  let rebuilt: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { models } = await rebuildReadModels(store, (sealed, stream) => openSecret(sealed, kek, stream));
    const model = models.gateway;
    const clusterId = model.currentClusterId;
    assert.ok(clusterId, 'a swarm in the rebuilt model');
    rebuilt = {
      swarm: presentSwarm(model, clusterId),
      nodes: [...model.nodes.values()].filter((n) => n.data.clusterId === clusterId).map((n) => presentNode(model, n)),
      networks: [...model.networks.values()].filter((n) => n.data.clusterId === clusterId).map(presentNetwork),
    };
    live = { swarm: await get('/swarm'), nodes: await get('/nodes'), networks: await get('/networks') };
    if (JSON.stringify(live) === JSON.stringify(rebuilt)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.deepEqual(live, rebuilt, 'the gateway read model equals a rebuild from zero');
}
