/**
 * Issue 12: nothing in the log stops a reader. Events written past the store's checks (as an older
 * version or a tool could have) sit in the log of a running stack; every reader skips and records
 * them, and the Engine API, the Docker events replay, the commands and the integration publisher
 * go on as if they were not there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort, publishRawEvents, rawEventJson } from '#testing';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';
import { SwarmPortClient } from './support/swarm-port-client.js';

interface AuditSkipped {
  invalid: { position: number; type: string; reason: string }[];
  skipped: { reader: string; position: number; type: string; cause: string }[];
}

describe('a log holding events no reader can read (issue 12)', () => {
  let fx: StackFixture;
  let nc: NatsConnection;
  let port: SwarmPortClient;
  let clusterId: string;
  let managerId: string;
  const poisoned: number[] = [];

  before(async () => {
    fx = await startStackFixture();
    nc = await connect({ servers: fx.natsUrl });
    const listen = await freePort();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${listen}`);
    assert.equal(init.code, 0, init.stderr);
    port = new SwarmPortClient('127.0.0.1', listen);
    assert.equal((await fx.docker('network', 'create', '-d', 'overlay', 'before-poison')).code, 0);
    clusterId = JSON.parse((await fx.api('GET', '/v1.47/swarm')).text).ID;
    managerId = (await fx.docker('info', '--format', '{{.Swarm.NodeID}}')).stdout.trim();
    const node = { nodeId: 'poisonnode0000000000000001', clusterId, role: 'worker', availability: 'active', labels: {}, addr: '127.0.0.1', leader: false, registeredAt: new Date().toISOString() };
    const write = async (subject: string, ...payloads: string[]) => poisoned.push(...(await publishRawEvents(fx.natsUrl, subject, payloads)));
    // The join with "description": null, and a broken update of the manager's own node.
    await write(`es.node.node-${node.nodeId}`, rawEventJson('NodeRegistered', { ...node, engine: null }));
    await write(`es.node.node-${managerId}`, rawEventJson('NodeSpecUpdated', { nodeId: managerId, clusterId, role: 'manager', availability: 'asleep', labels: ['x'] }));
    await write(`es.cluster-${clusterId}`, rawEventJson('SwarmUpdated', { clusterId, spec: { CAConfig: { NodeCertExpiry: 'abc' } }, rotateWorkerToken: false, rotateManagerToken: false, rotateManagerUnlockKey: false }));
    const network = { clusterId, driver: 'overlay', ingress: false, internal: false, attachable: false, options: {}, subnet: '10.0.9.0/24', gateway: '10.0.9.1', explicitSubnet: false, vxlanId: 4999, createdAt: new Date().toISOString() };
    await write(
      `es.ipam.ipam-${clusterId}`,
      rawEventJson('NetworkCreated', { ...network, networkId: 'poisonnet1', name: 5, labels: {} }),
      rawEventJson('NetworkCreated', { ...network, networkId: 'poisonnet2', name: { a: 1 }, labels: {} }),
      rawEventJson('NetworkCreated', { ...network, networkId: 'poisonnet3', name: 'n'.repeat(1 << 19), labels: {} }),
      rawEventJson('NetworkCreated', { ...network, networkId: 'poisonnet4', name: 'arraylabels', labels: ['a=b'] }),
    );
    await write('es.junk-1', rawEventJson('NeverHeardOf', { a: 1 }), 'not json {');
  });
  after(async () => {
    await nc?.close();
    await fx?.stop();
  });

  it('the Engine API and the docker CLI answer as if the bad events were not there', async () => {
    const nodes = await fx.api('GET', '/v1.47/nodes');
    assert.equal(nodes.status, 200, nodes.text);
    assert.deepEqual(JSON.parse(nodes.text).map((n: { ID: string }) => n.ID), [managerId]);
    const ls = await fx.docker('node', 'ls', '--format', '{{.ID}} {{.Availability}}');
    assert.equal(ls.code, 0, ls.stderr);
    assert.equal(ls.stdout, `${managerId} Active\n`);
    assert.equal((await fx.docker('node', 'inspect', managerId)).code, 0);
    const networks = await fx.docker('network', 'ls', '--format', '{{.Name}}');
    assert.equal(networks.code, 0, networks.stderr);
    assert.deepEqual(networks.stdout.trim().split('\n').sort(), ['before-poison', 'ingress']);
    const info = await fx.docker('info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.Nodes}}');
    assert.equal(info.code, 0, info.stderr);
    assert.equal(info.stdout, 'active 1\n');
    const state = await fx.api('GET', '/audit/state');
    assert.equal(state.status, 200, state.text);
    assert.equal(JSON.parse(state.text).nodes.length, 1);
  });

  it('docker events --since 0 --until now replays across them and ends', async () => {
    const until = String(Math.ceil(Date.now() / 1000) + 1);
    const replay = await fx.docker('events', '--since', '0', '--until', until, '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}');
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /network create before-poison/);
    assert.doesNotMatch(replay.stdout, /arraylabels/);
  });

  it('commands on the streams holding them still decide and append: node update, swarm update, network create, join', async () => {
    const update = await fx.docker('node', 'update', '--availability', 'drain', managerId);
    assert.equal(update.code, 0, update.stderr);
    assert.equal((await fx.docker('node', 'inspect', '--format', '{{.Spec.Availability}}', managerId)).stdout, 'drain\n');
    const swarm = await fx.docker('swarm', 'update', '--cert-expiry', '48h');
    assert.equal(swarm.code, 0, swarm.stderr);
    const created = await fx.docker('network', 'create', '-d', 'overlay', 'after-poison');
    assert.equal(created.code, 0, created.stderr);
    const ca = (await port.rootCa()).body;
    const token = (await fx.docker('swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const joined = await port.join(token, ca, 'worker-after-poison');
    assert.equal(joined.response.status, 200, joined.response.body);
  });

  it('the integration publisher goes on, at its start past them too', async () => {
    await fx.stack.restart('node-service'); // replays the log from the start
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('SWARM_INTEGRATION', { durable_name: 'issue12', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    assert.equal((await fx.docker('network', 'create', '-d', 'overlay', 'after-restart')).code, 0);
    const consumer = await jetstream(nc).consumers.get('SWARM_INTEGRATION', 'issue12');
    const names = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (!names.has('after-restart') && Date.now() < deadline) {
      for await (const message of await consumer.fetch({ max_messages: 200, expires: 1000 })) {
        names.add(String(message.json<{ actor: { attributes: Record<string, string> } }>().actor.attributes.name));
        message.ack();
      }
    }
    assert.ok(names.has('before-poison') && names.has('after-poison') && names.has('after-restart'), [...names].join(','));
  });

  it('the audit API lists them: invalid in the log, and skipped by the readers', async () => {
    const response = await fx.api('GET', '/audit/skipped-events');
    assert.equal(response.status, 200, response.text);
    const body = JSON.parse(response.text) as AuditSkipped;
    assert.deepEqual(body.invalid.map((e) => e.position), poisoned);
    assert.deepEqual(body.invalid.map((e) => e.type).slice(-2), ['NeverHeardOf', '$undecodable']);
    assert.match(body.invalid[0]?.reason ?? '', /engine/);
    const readModel = body.skipped.filter((s) => s.reader === 'gateway read model').map((s) => s.position);
    assert.deepEqual(readModel, poisoned.slice(0, -2), 'the read model skipped every bad event of a type it reads');
    assert.ok(body.skipped.every((s) => s.cause === 'schema'));
    const metrics = await fx.api('GET', '/metrics');
    assert.match(metrics.text, /swarmplane_eventstore_skipped_events_total\{reader="gateway read model",cause="schema"\} 7/);
  });
});
