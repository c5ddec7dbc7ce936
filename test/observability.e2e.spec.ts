import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startNatsServer, type NatsServerHandle } from '#testing';
import { startStack, type RunningStack } from '../scripts/stack.js';
import { runDocker } from './support/stack-fixture.js';

/** The value of one series in the exposition text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Health, metrics and logs of the running stack. The test owns its nats-server (port and store
 * directory), so it can stop it and start it again on the same port with the same data.
 */
describe('health, metrics and logs', () => {
  let nats: NatsServerHandle;
  let natsAt: { port: number; storeDir: string };
  let stack: RunningStack;
  let dataDir: string;
  let base: string;
  const api = async (method: string, urlPath: string, init: { body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${base}${urlPath}`, {
      method,
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  /** Pings until the status is `status`, at most `tries` times, 200 ms apart. */
  const pingUntil = async (status: number, tries: number) => {
    let last = await api('GET', '/_ping');
    for (let i = 0; i < tries && last.status !== status; i++) {
      await sleep(200);
      last = await api('GET', '/_ping');
    }
    return last;
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-obs-'));
    natsAt = { port: await freePort(), storeDir: path.join(dataDir, 'nats') };
    nats = await startNatsServer({ at: natsAt });
    const gatewayAddr = `127.0.0.1:${await freePort()}`;
    base = `http://${gatewayAddr}`;
    stack = await startStack({
      natsUrl: nats.url,
      dataDir,
      gatewayAddr,
      logDir: path.join(dataDir, 'logs'),
      env: { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1', LOG_LEVEL: 'debug' },
    });
  });
  after(async () => {
    await stack?.stop();
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts requests by route, RPC calls and the read model lag at /metrics', async () => {
    const swarmAddr = `127.0.0.1:${await freePort()}`;
    const init = await runDocker(`tcp://${base.slice('http://'.length)}`, ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', swarmAddr]);
    assert.equal(init.code, 0, init.stderr);
    for (let i = 0; i < 3; i++) assert.equal((await api('GET', '/v1.47/swarm')).status, 200);
    assert.equal((await api('GET', '/nodes/no-such-node')).status, 404);

    const metrics = await api('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = metrics.text;
    assert.ok((sample(text, 'swarmplane_http_requests_total{method="GET",route="/swarm",status="200"}') ?? 0) >= 3, text);
    assert.equal(sample(text, 'swarmplane_http_requests_total{method="GET",route="/nodes/:id",status="404"}'), 1);
    assert.equal(sample(text, 'swarmplane_http_requests_total{method="POST",route="/swarm/init",status="200"}'), 1);
    assert.ok(!text.includes('no-such-node'), 'URLs are not labels');
    assert.match(text, /^swarmplane_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/swarm"\} \d+$/m);
    assert.equal(sample(text, 'swarmplane_rpc_requests_total{subject="swarm.init",outcome="ok"}'), 1);
    assert.equal(sample(text, 'swarmplane_rpc_duration_seconds_count{subject="swarm.init"}'), 1);
    assert.ok((sample(text, 'swarmplane_projection_position{projection="gateway"}') ?? 0) > 0);
    assert.ok((sample(text, 'swarmplane_projection_lag_events{projection="gateway"}') ?? -1) >= 0);
    assert.ok((sample(text, 'swarmplane_eventstore_head_position') ?? 0) > 0);
    assert.equal(sample(text, 'swarmplane_dependency_up{dependency="bus"}'), 1);
    assert.equal(sample(text, 'swarmplane_dependency_up{dependency="store"}'), 1);
  });

  it('carries the caller\'s correlation id into the events and the JSON log lines', async () => {
    const correlationId = `obs-${randomUUID()}`;
    const created = await api('POST', '/networks/create', { body: { Name: 'obsnet', Driver: 'overlay' }, headers: { 'X-Correlation-Id': correlationId } });
    assert.equal(created.status, 201, created.text);
    // A create is decided in the gateway; a remove crosses NATS to ipam-service, with the same id.
    const removed = await api('DELETE', '/networks/obsnet', { headers: { 'X-Correlation-Id': correlationId } });
    assert.equal(removed.status, 204, removed.text);
    const audit = await api('GET', `/audit/events?correlationId=${correlationId}`);
    const events = JSON.parse(audit.text) as { type: string; metadata: { correlationId: string } }[];
    assert.deepEqual(events.map((e) => e.type), ['NetworkCreated', 'NetworkRemoved'], audit.text);
    assert.ok(events.every((e) => e.metadata.correlationId === correlationId));
    const logLines = (app: string): Record<string, unknown>[] =>
      readFileSync(path.join(dataDir, 'logs', `${app}-0.log`), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logged = logLines('gateway').filter((l) => l.correlationId === correlationId);
    assert.deepEqual(logged.map((l) => [l.method, l.route, l.status, l.service]), [['POST', '/networks/create', 201, 'gateway'], ['DELETE', '/networks/:id', 204, 'gateway']]);
    const handled = logLines('ipam-service').find((l) => l.correlationId === correlationId);
    assert.deepEqual([handled?.subject, handled?.msg, handled?.service], ['networks.remove', 'handled', 'ipam-service']);
  });

  it('fails /_ping with 500 while NATS is down and answers OK again once it is back', async () => {
    const up = await api('GET', '/_ping');
    assert.deepEqual([up.status, up.text], [200, 'OK']);

    await nats.stop();
    const down = await pingUntil(500, 50);
    assert.equal(down.status, 500);
    assert.equal(down.headers.get('content-type'), 'application/json');
    assert.match((JSON.parse(down.text) as { message: string }).message, /^the control plane is unhealthy: .*bus \(NATS\): (not connected|no answer within)/);
    assert.equal((await api('HEAD', '/_ping')).status, 500);

    nats = await startNatsServer({ at: natsAt });
    const back = await pingUntil(200, 150);
    assert.deepEqual([back.status, back.text], [200, 'OK']);
    assert.equal((await api('HEAD', '/_ping')).status, 200);
  });
});
