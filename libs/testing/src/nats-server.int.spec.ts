import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { describe, it } from 'node:test';

import { freePort, startNatsServer } from './nats-server.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startNatsServer', () => {
  it('hands out free ports other than 4222', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) assert.ok(port > 0 && port !== 4222);
  });

  it('starts a private server with JetStream and stops it, removing its store', async () => {
    const server = await startNatsServer({ jetstream: true });
    assert.equal(server.url, `nats://127.0.0.1:${server.port}`);
    assert.notEqual(server.port, 4222);
    assert.ok(existsSync(server.storeDir));
    assert.ok(await accepts(server.port));
    await server.stop();
    await server.stop(); // idempotent
    assert.ok(!existsSync(server.storeDir));
    assert.equal(await accepts(server.port), false);
    assert.throws(() => process.kill(server.pid, 0), /ESRCH/);
  });

  it('runs several servers side by side', async () => {
    const [a, b] = await Promise.all([startNatsServer(), startNatsServer({ jetstream: false })]);
    assert.ok(a && b);
    assert.notEqual(a.port, b.port);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('reports a server that cannot start', async () => {
    const previous = process.env['NATS_SERVER_BIN'];
    process.env['NATS_SERVER_BIN'] = '/nonexistent/nats-server';
    try {
      await assert.rejects(startNatsServer(), /nats-server/);
    } finally {
      if (previous === undefined) delete process.env['NATS_SERVER_BIN'];
      else process.env['NATS_SERVER_BIN'] = previous;
    }
  });
});
