import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMetricsServer } from './metrics-server.js';
import { BoundedLabel, Metrics, metricsRegistry, renderMetrics, streamCategory } from './metrics.js';

/** The value of one series in the exposition text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}


describe('metrics registry', () => {
  it('renders the text exposition format 0.0.4 with HELP, TYPE and histogram buckets', async () => {
    Metrics.httpRequests.child({ method: 'GET', route: '/swarm', status: '200' }).inc();
    Metrics.httpDuration.child({ method: 'GET', route: '/swarm' }).observe(0.0004);
    Metrics.httpDuration.child({ method: 'GET', route: '/swarm' }).observe(3);
    const { contentType, body } = await renderMetrics();
    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(body, /^# HELP swarmplane_http_requests_total /m);
    assert.match(body, /^# TYPE swarmplane_http_requests_total counter$/m);
    assert.match(body, /^# TYPE swarmplane_http_request_duration_seconds histogram$/m);
    assert.ok((sample(body, 'swarmplane_http_requests_total{method="GET",route="/swarm",status="200"}') ?? 0) >= 1);
    assert.ok((sample(body, 'swarmplane_http_request_duration_seconds_bucket{le="0.0005",method="GET",route="/swarm"}') ?? 0) >= 1);
    assert.equal(sample(body, 'swarmplane_http_request_duration_seconds_bucket{le="0.00025",method="GET",route="/swarm"}'), 0);
    assert.equal(sample(body, 'swarmplane_http_request_duration_seconds_bucket{le="2.5",method="GET",route="/swarm"}'), 1, 'cumulative');
    assert.equal(sample(body, 'swarmplane_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/swarm"}'), 2);
    assert.equal(sample(body, 'swarmplane_http_request_duration_seconds_count{method="GET",route="/swarm"}'), 2);
    assert.equal(sample(body, 'swarmplane_http_request_duration_seconds_sum{method="GET",route="/swarm"}'), 3.0004);
    assert.match(body, /^process_cpu_seconds_total /m, 'default process metrics are on');
  });

  it('names stream categories by the part before the first dash, with a bounded set', () => {
    assert.equal(streamCategory('network-3f2a'), 'network');
    assert.equal(streamCategory('membership'), 'membership');
    assert.equal(streamCategory('weird.name-1'), 'other');
    const label = new BoundedLabel(2);
    assert.deepEqual(['a', 'b', 'c', 'a'].map((v) => label.of(v)), ['a', 'b', 'other', 'a']);
  });
});

describe('startMetricsServer (METRICS_ADDR)', () => {
  it('serves the registry at /metrics on its own loopback port, and nothing else', async () => {
    const server = await startMetricsServer('127.0.0.1:0');
    try {
      const address = server.address();
      assert.ok(typeof address === 'object' && address !== null);
      const metrics = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      assert.equal(metrics.status, 200);
      assert.equal(metrics.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(await metrics.text(), /^# TYPE swarmplane_eventstore_appends_total counter$/m);
      assert.equal((await fetch(`http://127.0.0.1:${address.port}/`)).status, 404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an address without a usable port', async () => {
    await assert.rejects(startMetricsServer('127.0.0.1:http'), /METRICS_ADDR: bad port/);
  });
});
