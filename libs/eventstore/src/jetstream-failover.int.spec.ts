/**
 * Appends that lose their ack, and a cluster that loses a node: nothing acknowledged is lost or
 * doubled, and a retry is never mistaken for a conflict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { jetstream, jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import { TimeoutError } from '@nats-io/nats-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsCluster, startNatsServer, type NatsClusterHandle, type NatsServerHandle } from '#testing';

import { newEvent, uniqueStream, within } from './contract/helpers.js';
import { AckedPublisher } from './jetstream/acked-publish.js';
import { appendEvents } from './jetstream/append.js';
import { JetStreamEventStore } from './jetstream/index.js';
import { resolveOptions, type JetStreamContext } from './jetstream/options.js';
import { ensureStream } from './jetstream/stream-setup.js';
import { WrongExpectedRevisionError, type RecordedEvent } from './port.js';

type Publish = AckedPublisher['publish'];

describe('JetStream appends whose ack is lost', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let ctx: JetStreamContext;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const opts = resolveOptions({ streamName: 'LOST_ACKS' });
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, opts);
    ctx = { ...opts, branches: new Set(), replicas: 1, nc, jsm, js: jetstream(nc), publisher: new AckedPublisher(nc, 5_000) };
    store = await JetStreamEventStore.fromConnection(nc, { streamName: 'LOST_ACKS' });
  });
  after(async () => {
    await store.close();
    await nc.close();
    await server.stop();
  });

  /** ctx whose first publish does `first` and then throws a timeout, as if the ack were lost. */
  const losingFirstAck = (first: (publish: Publish, ...args: Parameters<Publish>) => Promise<unknown>): JetStreamContext => {
    let calls = 0;
    const real = ctx.publisher.publish.bind(ctx.publisher);
    const publisher = Object.create(ctx.publisher) as AckedPublisher;
    publisher.publish = async (...args: Parameters<Publish>) => {
      if (calls++ > 0) return real(...args);
      await first(real, ...args);
      throw new TimeoutError();
    };
    return { ...ctx, publisher };
  };

  it('stored with its id: the retry gets the duplicate ack and the original position', async () => {
    const stream = uniqueStream();
    const head = await appendEvents(ctx, stream, [newEvent()], 'no_stream');
    const event = newEvent();
    const result = await appendEvents(losingFirstAck((publish, ...args) => publish(...args)), stream, [event], head.nextExpectedRevision);
    const { events } = await store.readStream(stream);
    assert.deepEqual(events.map((e) => e.id).slice(1), [event.id]);
    assert.equal(result.position, events[1]?.position);
  });

  it('stored but unknown to the deduplication: the expectation fails on our own id, which counts as success', async () => {
    const stream = uniqueStream();
    const event = newEvent();
    // The first attempt lands without its Nats-Msg-Id, as after a leader change that lost the id.
    const lossy = losingFirstAck((publish, subject, data, opts) => publish(subject, data, { ...opts, msgID: undefined }));
    const result = await appendEvents(lossy, stream, [event], 'no_stream');
    const { events } = await store.readStream(stream);
    assert.deepEqual(events.map((e) => e.id), [event.id]);
    assert.equal(result.position, events[0]?.position);
  });

  it('not stored, and another writer came first: the retry reports the conflict', async () => {
    const stream = uniqueStream();
    const other = newEvent();
    const raced = losingFirstAck(() => store.append(stream, [other], 'no_stream'));
    await assert.rejects(appendEvents(raced, stream, [newEvent()], 'no_stream'), WrongExpectedRevisionError);
    const { events } = await store.readStream(stream);
    assert.deepEqual(events.map((e) => e.id), [other.id]);
  });
});

describe('JetStream on a 3-node cluster (replicas 3) losing the stream leader', () => {
  let cluster: NatsClusterHandle;
  let store: JetStreamEventStore;

  before(async () => {
    cluster = await startNatsCluster({ size: 3 });
    store = await JetStreamEventStore.connect({ servers: cluster.servers, streamName: 'FAILOVER', replicas: 3 });
  });
  after(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('lets one of many writers in separate connections win the same expected revision', async () => {
    // Appends of one store take turns; separate connections (processes) really race. They do not
    // name the replicas: they must leave the stream at 3 and still take the guarded path.
    const others = await Promise.all(Array.from({ length: 4 }, () => JetStreamEventStore.connect({ servers: cluster.servers, streamName: 'FAILOVER' })));
    try {
      const stream = uniqueStream();
      const first = await store.append(stream, [newEvent()], 'no_stream');
      const outcomes = await Promise.allSettled(
        others.flatMap((s) => Array.from({ length: 5 }, () => s.append(stream, [newEvent()], first.nextExpectedRevision))),
      );
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'one winner');
      for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof WrongExpectedRevisionError, String(o.reason));
      assert.equal((await store.readStream(stream)).events.length, 2);
      assert.equal((await streamInfo(cluster.url, 'FAILOVER')).config.num_replicas, 3, 'still replicated 3 times');
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  it('keeps every acknowledged append exactly once and the subscription gapless', async () => {
    const writers = 4;
    const perWriter = 60;
    const acked: string[] = [];
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeAll({ afterPosition: 0 }, (e) => void seen.push(e));
    let killedAt: number | undefined;
    const chaos = (async () => {
      await until(() => acked.length >= 40);
      const leader = await streamLeader(cluster.url, 'FAILOVER');
      const node = cluster.nodes.find((n) => n.name === leader) ?? cluster.nodes[0]!;
      killedAt = acked.length;
      await node.stop('SIGKILL');
      await until(() => acked.length >= killedAt! + 60);
      await node.start();
    })();
    const write = async (): Promise<void> => {
      const stream = uniqueStream('w');
      let expected: number | 'no_stream' = 'no_stream';
      for (let i = 0; i < perWriter; i++) {
        const event = newEvent('Written', { i });
        expected = (await store.append(stream, [event], expected)).nextExpectedRevision;
        acked.push(event.id);
      }
    };
    await within(Promise.all([...Array.from({ length: writers }, write), chaos]), 120_000, 'writers and chaos');
    assert.ok(killedAt !== undefined, 'the leader was stopped while writers ran');
    const ours = (e: RecordedEvent): boolean => e.stream.startsWith('w-'); // not the other tests' events
    const log: string[] = [];
    for await (const e of store.readAll()) if (ours(e)) log.push(e.id);
    assert.equal(log.length, writers * perWriter);
    assert.deepEqual([...log].sort(), [...acked].sort(), 'every acknowledged event once, nothing else');
    const head = await store.headPosition();
    await within(until(() => seen.at(-1)?.position === head), 60_000, 'the subscription to reach the head');
    await subscription.stop();
    assert.deepEqual(seen.filter(ours).map((e) => e.id), log, 'the subscription saw the log in order, once');
  });
});

async function streamInfo(url: string, stream: string): Promise<StreamInfo> {
  const nc = await connect({ servers: url.split(',') });
  try {
    return await (await jetstreamManager(nc)).streams.info(stream);
  } finally {
    await nc.close();
  }
}

async function streamLeader(url: string, stream: string): Promise<string | undefined> {
  return (await streamInfo(url, stream)).cluster?.leader;
}

/** Polls a condition (bounded by the caller's `within`). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
