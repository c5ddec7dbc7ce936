import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkHealth, healthProbeFor } from './health-probe.js';

describe('healthProbeFor', () => {
  it('pings the gateway where it listens: its unix socket by default, or TCP', () => {
    assert.deepEqual(healthProbeFor({ DATA_DIR: '/srv/data' }), { kind: 'engine', plan: { kind: 'unix', path: '/srv/data/docker.sock' } });
    assert.deepEqual(healthProbeFor({ APP: 'gateway', GATEWAY_ADDR: 'unix:///run/gw/docker.sock' }), { kind: 'engine', plan: { kind: 'unix', path: '/run/gw/docker.sock' } });
    assert.deepEqual(healthProbeFor({ APP: 'gateway', GATEWAY_ADDR: '127.0.0.2:9000' }), { kind: 'engine', plan: { kind: 'tcp', host: '127.0.0.2', port: 9000, tls: undefined } });
    assert.throws(() => healthProbeFor({ APP: 'gateway', GATEWAY_ADDR: '0.0.0.0:2375' }), /refusing to serve the Engine API without TLS/);
  });

  it('reads the ready file of a service, and refuses a service without one', () => {
    assert.deepEqual(healthProbeFor({ APP: 'ipam-service', READY_FILE: '/tmp/ready' }), { kind: 'ready-file', file: '/tmp/ready' });
    assert.throws(() => healthProbeFor({ APP: 'ipam-service' }), /READY_FILE is not set/);
  });
});

describe('checkHealth', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'health-probe-'));
  let server: Server;
  let port = 0;
  let pingStatus = 200;
  before(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/_ping' ? pingStatus : 404).end(request.url === '/_ping' ? 'OK' : 'page not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is healthy on 200 from /_ping and says why not otherwise', async () => {
    const probe = { kind: 'engine', plan: { kind: 'tcp', host: '127.0.0.1', port, tls: undefined } } as const;
    assert.equal(await checkHealth(probe), undefined);
    pingStatus = 503;
    assert.match((await checkHealth(probe)) ?? '', /answered 503/);
    pingStatus = 200;
  });

  it('is unhealthy when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    assert.match((await checkHealth({ kind: 'engine', plan: { kind: 'tcp', host: '127.0.0.1', port: freePort, tls: undefined } })) ?? '', /_ping: /);
  });

  it('is healthy while the ready file names a live process', async () => {
    const file = path.join(dir, 'live');
    writeFileSync(file, `${process.pid}\n`);
    assert.equal(await checkHealth({ kind: 'ready-file', file }), undefined);
  });

  it('is unhealthy when the ready file is absent, malformed or names a process that is gone', async () => {
    assert.match((await checkHealth({ kind: 'ready-file', file: path.join(dir, 'absent') })) ?? '', /not connected to NATS/);
    const malformed = path.join(dir, 'malformed');
    writeFileSync(malformed, 'not a pid');
    assert.match((await checkHealth({ kind: 'ready-file', file: malformed })) ?? '', /does not hold a PID/);
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = path.join(dir, 'stale');
    writeFileSync(stale, exited.stdout);
    assert.match((await checkHealth({ kind: 'ready-file', file: stale })) ?? '', /is gone/);
  });
});
