import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderedPublisher, type PublishOnce } from './ordered-publisher.js';

/**
 * A stand-in for a JetStream stream with a duplicate window (NOT the real server; the e2e tests
 * publish to a real one): duplicates are acknowledged first, then `expectLastMsgID` is checked
 * against the last stored id, as nats-server 2.9 does (checked by hand against it: error 10070).
 * Answers come asynchronously; `faults` decide per attempt whether a message is lost before the
 * stream or stored with its acknowledgement lost.
 */
function fakeStream(faults: (msgID: string, attempt: number) => 'lost' | 'ack-lost' | undefined = () => undefined) {
  const stored: string[] = [];
  const attempts = new Map<string, number>();
  let calls = 0;
  const publish: PublishOnce = (_subject, _data, { msgID, expectLastMsgID }) => {
    calls++;
    const attempt = (attempts.get(msgID) ?? 0) + 1;
    attempts.set(msgID, attempt);
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        const fault = faults(msgID, attempt);
        if (fault === 'lost') return reject(new Error('timeout'));
        if (stored.includes(msgID)) return resolve({ duplicate: true });
        if (expectLastMsgID !== undefined && stored.at(-1) !== expectLastMsgID) {
          return reject(Object.assign(new Error(`wrong last msg ID: ${stored.at(-1)}`), { code: 10070 }));
        }
        stored.push(msgID);
        if (fault === 'ack-lost') return reject(new Error('timeout'));
        resolve({ duplicate: false });
      });
    });
  };
  return { publish, stored, calls: () => calls };
}

async function sendAll(publisher: OrderedPublisher, ids: readonly string[]): Promise<void> {
  for (const [i, id] of ids.entries()) await publisher.send('swarm.events.node.create', '{}', id, i + 1);
  await publisher.flush();
}

const ids = Array.from({ length: 200 }, (_, i) => `m${i + 1}`);

describe('OrderedPublisher', () => {
  it('stores every message in order with many awaiting their acknowledgement, and reports positions in order', async () => {
    const stream = fakeStream();
    const positions: number[] = [];
    const publisher = new OrderedPublisher(stream.publish, (p) => positions.push(p), 16);
    let widest = 0;
    for (const [i, id] of ids.entries()) {
      await publisher.send('s', '{}', id, i + 1);
      widest = Math.max(widest, publisher.inFlight);
    }
    await publisher.flush();
    assert.deepEqual(stream.stored, ids);
    assert.deepEqual(positions, ids.map((_, i) => i + 1));
    assert.equal(widest, 16, 'the window fills up');
    assert.equal(stream.calls(), ids.length);
  });

  it('keeps the order when a message is lost before the stream: the ones after it are refused, then all sent again', async () => {
    const stream = fakeStream((id, attempt) => (id === 'm50' && attempt === 1 ? 'lost' : undefined));
    const positions: number[] = [];
    await sendAll(new OrderedPublisher(stream.publish, (p) => positions.push(p), 16), ids);
    assert.deepEqual(stream.stored, ids);
    assert.deepEqual(positions, ids.map((_, i) => i + 1));
  });

  it('keeps the order when an acknowledgement is lost after the message was stored (sent again: a duplicate)', async () => {
    const stream = fakeStream((id, attempt) => (id === 'm7' && attempt === 1 ? 'ack-lost' : undefined));
    await sendAll(new OrderedPublisher(stream.publish, () => undefined, 8), ids);
    assert.deepEqual(stream.stored, ids);
  });

  it('sends without the expectation when another writer published in between', async () => {
    const stream = fakeStream();
    const publisher = new OrderedPublisher(stream.publish, () => undefined, 4);
    await publisher.send('s', '{}', 'a', 1);
    await publisher.flush();
    stream.stored.push('foreign');
    await publisher.send('s', '{}', 'b', 2);
    await publisher.send('s', '{}', 'c', 3);
    await publisher.flush();
    assert.deepEqual(stream.stored, ['a', 'foreign', 'b', 'c']);
  });

  it('reports a position with nothing to publish once everything before it is stored', async () => {
    const stream = fakeStream();
    const positions: number[] = [];
    const publisher = new OrderedPublisher(stream.publish, (p) => positions.push(p), 4);
    publisher.skip(1);
    await publisher.send('s', '{}', 'a', 2);
    publisher.skip(3);
    assert.deepEqual(positions, [1]);
    await publisher.flush();
    assert.deepEqual(positions, [1, 3]);
  });

  it('rejects send and flush once a message cannot be stored even when sent again', async () => {
    const stream = fakeStream((id) => (id === 'm3' ? 'lost' : undefined));
    const publisher = new OrderedPublisher(stream.publish, () => undefined, 2);
    await assert.rejects(sendAll(publisher, ids), /timeout/);
    await assert.rejects(publisher.flush(), /timeout/);
    assert.deepEqual(stream.stored, ['m1', 'm2']);
  });
});
