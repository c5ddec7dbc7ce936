import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

import { startNatsCluster } from './nats-cluster.js';

describe('startNatsCluster', () => {
  it('starts three clustered nodes with JetStream, stops and restarts one by its handle, cleans up', async () => {
    const cluster = await startNatsCluster({ size: 3 });
    try {
      assert.equal(cluster.nodes.length, 3);
      assert.equal(new Set(cluster.nodes.flatMap((n) => [n.port, n.routePort])).size, 6, 'six distinct ports');
      assert.ok(cluster.nodes.every((n) => n.port !== 4222 && n.pid !== undefined));
      assert.equal(cluster.url, cluster.nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(','));
      const node = cluster.nodes[1]!;
      const pid = node.pid!;
      await node.stop();
      assert.equal(node.running, false);
      assert.throws(() => process.kill(pid, 0), /ESRCH/);
      assert.ok(existsSync(node.storeDir), 'the store survives a stop');
      await node.start();
      assert.notEqual(node.pid, pid);
      await cluster.waitForJetStream();
    } finally {
      await cluster.stop();
    }
    assert.ok(cluster.nodes.every((n) => !existsSync(n.storeDir)));
  });
});
