import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

interface IntegrationEvent {
  schemaVersion: number;
  id: string;
  type: string;
  action: string;
  actor: { id: string; attributes: Record<string, string> };
}

describe('integration events on NATS', () => {
  let fx: StackFixture;
  let nc: NatsConnection;
  before(async () => {
    fx = await startStackFixture();
    nc = await connect({ servers: fx.natsUrl });
    const init = await fx.api('POST', '/v1.47/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [], SubnetSize: 24 });
    assert.equal(init.status, 200);
  });
  after(async () => {
    await nc?.close();
    await fx?.stop();
  });

  /** Reads what the durable consumer has not acknowledged yet, until `until` holds or nothing more comes. */
  const received: IntegrationEvent[] = [];
  async function drain(durable: string, seen: Map<string, number>, until: () => boolean): Promise<void> {
    const js = jetstream(nc);
    const consumer = await js.consumers.get('SWARM_INTEGRATION', durable);
    const deadline = Date.now() + 30_000;
    while (!until() && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
      for await (const message of batch) {
        const event = message.json<IntegrationEvent>();
        seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
        received.push(event);
        message.ack();
      }
    }
  }

  it('a subscriber stopped during 1,000 changes catches up from its own checkpoint: every event once after dedupe', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('SWARM_INTEGRATION', { durable_name: 'auditor', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    const seen = new Map<string, number>();
    await drain('auditor', seen, () => seen.size >= 1); // ingress create, then the subscriber "stops"
    for (let i = 0; i < 500; i++) {
      const r = await fx.api('POST', '/v1.47/networks/create', { Name: `int${i}`, Driver: 'overlay' });
      assert.equal(r.status, 201);
      if (i === 250) await fx.stack.restart('node-service'); // the publisher restarts from its checkpoint too
    }
    for (let i = 0; i < 500; i++) assert.equal((await fx.api('DELETE', `/v1.47/networks/int${i}`)).status, 204);
    const expected = 2 + 500 * 3; // init: ingress create and the node ready; per network: create, update, remove
    await drain('auditor', seen, () => seen.size >= expected);
    assert.equal(seen.size, expected);
    const event = received.find((e) => e.action === 'remove' && e.actor.attributes.name === 'int0');
    assert.equal(event?.schemaVersion, 1);
    assert.equal(event?.type, 'network');
    assert.equal(event?.action, 'remove');
    assert.equal(event?.actor.attributes.name, 'int0');
  });
});
