import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProtocolHandler } from '@nats-io/nats-core/internal';
import { connect } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '#testing';
import './coalesced-flush-patch.js';

describe('coalesced flush (nats-core patch)', () => {
  let server: NatsServerHandle;
  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('is applied to the client every process uses', () => {
    assert.equal((ProtocolHandler.prototype as unknown as Record<symbol, unknown>)[Symbol.for('swarmplane.coalescedFlushPatch')], true);
  });

  it('delivers everything published in one tick, in order, and a lone publish after it', async () => {
    const publisher = await connect({ servers: server.url });
    const subscriber = await connect({ servers: server.url });
    try {
      const received: number[] = [];
      const all = new Promise<void>((resolve) => {
        subscriber.subscribe('coalesce.test', {
          callback: (_err, msg) => {
            received.push(Number(msg.string()));
            if (received.length === 5001) resolve();
          },
        });
      });
      await subscriber.flush();
      // Many in one tick: written when the buffer is full (the client's pending limit) and on setImmediate.
      for (let i = 0; i < 5000; i++) publisher.publish('coalesce.test', String(i));
      await new Promise((resolve) => setTimeout(resolve, 5));
      publisher.publish('coalesce.test', '5000');
      await publisher.flush();
      await all;
      assert.deepEqual(received, Array.from({ length: 5001 }, (_, i) => i));
    } finally {
      await publisher.close();
      await subscriber.close();
    }
  });

  it('answers a request whose reply comes back in the same round', async () => {
    const nc = await connect({ servers: server.url });
    try {
      nc.subscribe('coalesce.echo', { callback: (_err, msg) => void msg.respond(msg.data) });
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => nc.request('coalesce.echo', String(i), { timeout: 5000 })));
      assert.deepEqual(replies.map((r) => r.string()), Array.from({ length: 50 }, (_, i) => String(i)));
    } finally {
      await nc.close();
    }
  });
});
