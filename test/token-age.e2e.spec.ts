import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from '#testing';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

interface IntegrationEvent {
  type: string;
  action: string;
  actor: { id: string; attributes: Record<string, string> };
}

/**
 * SWARM_TOKEN_MAX_AGE end to end, without waiting: a maximum age of 1 ms has passed by the time the
 * init answers, so the watch marks both tokens at once (the moment itself is tested under an
 * injected clock in token-age.watch.unit.spec.ts).
 */
describe('join token age: docker info warns, the log and the integration stream mark the moment', () => {
  let fx: StackFixture;
  let nc: NatsConnection;
  let clusterId = '';
  before(async () => {
    fx = await startStackFixture({ env: { SWARM_TOKEN_MAX_AGE: '1ms' } });
    nc = await connect({ servers: fx.natsUrl });
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
    assert.equal(init.code, 0, init.stderr);
    clusterId = (await fx.docker('info', '--format', '{{.Swarm.Cluster.ID}}')).stdout.trim();
  });
  after(async () => {
    await nc?.close();
    await fx?.stop();
  });

  it('docker info prints one warning per token older than the maximum age, after its output', async () => {
    const info = await fx.docker('info');
    assert.equal(info.code, 0);
    const warnings = info.stderr.split('\n').filter((line) => line.startsWith('WARNING'));
    assert.equal(warnings.length, 2, info.stderr);
    for (const [i, role] of ['worker', 'manager'].entries()) {
      assert.match(
        warnings[i] ?? '',
        new RegExp(`^WARNING: the swarm's ${role} join token was issued \\S+Z and is older than the maximum age of 1 ms \\(SWARM_TOKEN_MAX_AGE\\): rotate it with "docker swarm join-token --rotate ${role}"$`),
      );
    }
    const json = await fx.docker('info', '--format', '{{json .Warnings}}');
    assert.equal((JSON.parse(json.stdout) as string[]).length, 2);
  });

  it('JoinTokenAgeExceeded once per token in the log, and swarm.events.jointoken.aged on the integration stream', async () => {
    const deadline = Date.now() + 30_000;
    let aged: { data: { role: string; fingerprint: string; autoRotate: boolean } }[] = [];
    while (aged.length < 2 && Date.now() < deadline) {
      const r = await fx.api('GET', '/audit/events?type=JoinTokenAgeExceeded');
      aged = JSON.parse(r.text) as typeof aged;
    }
    assert.deepEqual(aged.map((e) => [e.data.role, e.data.autoRotate]).sort(), [['manager', false], ['worker', false]]);
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('SWARM_INTEGRATION', { durable_name: 'token-age', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: 'swarm.events.jointoken.aged' });
    const consumer = await jetstream(nc).consumers.get('SWARM_INTEGRATION', 'token-age');
    const received: IntegrationEvent[] = [];
    while (received.length < 2 && Date.now() < deadline) {
      for await (const message of await consumer.fetch({ max_messages: 10, expires: 1000 })) {
        received.push(message.json<IntegrationEvent>());
        message.ack();
      }
    }
    assert.deepEqual(received.map((e) => [e.type, e.action, e.actor.id, e.actor.attributes.role]).sort(), [
      ['jointoken', 'aged', clusterId, 'manager'],
      ['jointoken', 'aged', clusterId, 'worker'],
    ]);
    // Once per token: the rotated worker token is a new token, marked in its turn; the old marks stay once each.
    await fx.docker('swarm', 'join-token', '--rotate', '-q', 'worker');
    while (aged.length < 3 && Date.now() < deadline) {
      aged = JSON.parse((await fx.api('GET', '/audit/events?type=JoinTokenAgeExceeded')).text) as typeof aged;
    }
    assert.deepEqual(aged.map((e) => e.data.role).sort(), ['manager', 'worker', 'worker']);
    assert.equal(new Set(aged.map((e) => e.data.fingerprint)).size, 3);
  });
});
