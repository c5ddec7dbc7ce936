import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { ClosedConnectionError, NoRespondersError, RequestError, TimeoutError, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '#testing';
import { AckedPublisher } from './acked-publish.js';
import { isTransient } from './transient.js';

const data = new TextEncoder().encode('{}');

describe('AckedPublisher against a real nats-server with JetStream', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let publisher: AckedPublisher;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ACKED', subjects: ['acked.>'], duplicate_window: 60e9 });
    publisher = new AckedPublisher(nc, 300);
  });
  after(async () => {
    publisher?.close();
    await nc?.close();
    await server?.stop();
  });

  it('resolves with the stream and sequence the server acknowledged', async () => {
    const first = await publisher.publish('acked.a', data);
    const second = await publisher.publish('acked.a', data, { expect: { lastSubjectSequence: first.seq } });
    assert.deepEqual([first.stream, first.duplicate, second.seq], ['ACKED', false, first.seq + 1]);
  });

  it('matches many acks in flight to their publishes', async () => {
    const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => publisher.publish(`acked.many.${i}`, data)));
    const seqs = acks.map((a) => a.seq);
    assert.equal(new Set(seqs).size, 50);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'published in order, stored in order');
  });

  it('refuses a wrong expected sequence with the server\'s JetStreamApiError (code 10071 and its text)', async () => {
    const head = await publisher.publish('acked.b', data);
    await assert.rejects(publisher.publish('acked.b', data, { expect: { lastSubjectSequence: head.seq - 1 } }), (e: unknown) =>
      e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamWrongLastSequence && e.message === `wrong last sequence: ${head.seq}`,
    );
  });

  it('chains on the last message id, and reports a duplicate id as such', async () => {
    const first = await publisher.publish('acked.c', data, { msgID: 'c-1' });
    const second = await publisher.publish('acked.c', data, { msgID: 'c-2', expect: { lastMsgID: 'c-1' } });
    const again = await publisher.publish('acked.c', data, { msgID: 'c-1' });
    assert.deepEqual([second.seq, again.seq, again.duplicate], [first.seq + 1, first.seq, true]);
    await assert.rejects(publisher.publish('acked.c', data, { msgID: 'c-3', expect: { lastMsgID: 'c-1' } }), (e: unknown) => e instanceof JetStreamApiError && e.code === 10070);
  });

  it('no stream on the subject: a transient RequestError caused by NoRespondersError', async () => {
    await assert.rejects(publisher.publish('nostream.x', data), (e: unknown) => e instanceof RequestError && e.cause instanceof NoRespondersError && isTransient(e, nc));
  });

  it('no ack in time: a TimeoutError, and a late ack is ignored', async () => {
    const silent = nc.subscribe('silent.x', { callback: () => undefined }); // a responder that never answers
    await assert.rejects(publisher.publish('silent.x', data), (e: unknown) => e instanceof TimeoutError && isTransient(e, nc));
    silent.unsubscribe();
  });

  it('a closed connection rejects what waits and what is sent after', async () => {
    const other = await connect({ servers: server.url });
    const own = new AckedPublisher(other, 5_000);
    const silent = other.subscribe('silent.y', { callback: () => undefined });
    const waiting = own.publish('silent.y', data);
    await other.flush();
    await other.close();
    await assert.rejects(waiting, (e: unknown) => e instanceof ClosedConnectionError);
    await assert.rejects(own.publish('acked.d', data), (e: unknown) => e instanceof ClosedConnectionError);
    void silent;
  });
});
