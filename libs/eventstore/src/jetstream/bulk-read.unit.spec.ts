import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAckReply } from './bulk-read.js';

describe('parseAckReply', () => {
  const fields = new Float64Array(4);
  it('reads sequence, delivery, timestamp and pending of the nats-server 2.9 form', () => {
    assert.equal(parseAckReply('$JS.ACK.SWARM_EVENTS.c1.1.123456.42.1764220000123456789.7', fields), true);
    assert.deepEqual([...fields], [123456, 42, 1764220000123456789, 7]);
  });
  it('reads the form with domain and account, with and without the trailing token', () => {
    assert.equal(parseAckReply('$JS.ACK.hub.ACC.SWARM_EVENTS.c1.1.9.3.1000.0', fields), true);
    assert.deepEqual([...fields], [9, 3, 1000, 0]);
    assert.equal(parseAckReply('$JS.ACK.hub.ACC.SWARM_EVENTS.c1.1.9.3.1000.0.xyz', fields), true);
    assert.deepEqual([...fields], [9, 3, 1000, 0]);
  });
  it('refuses anything else', () => {
    for (const reply of ['', '_INBOX.abc', '$JS.ACK.S.c.1.x.2.3.4', '$JS.ACK.S.c.1.2.3.4', 'XX.ACK.S.c.1.2.3.4.5', '$JS.ACK.S.c.1..3.4.5']) {
      assert.equal(parseAckReply(reply, fields), undefined, reply);
    }
  });
});
