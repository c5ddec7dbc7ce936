import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationIdOf } from '#engine-http';
import { createLogger, metricsRegistry } from '#observability';
import { fastify } from 'fastify';
import { instrumentHttp } from './http-metrics.js';

describe('instrumentHttp', () => {
  it('counts by route pattern (never the URL) and logs refused changes with the correlation id', async () => {
    const lines: string[] = [];
    const app = fastify({ genReqId: correlationIdOf });
    instrumentHttp(app, createLogger('gateway', { level: 'info', destination: { write: (l: string) => void lines.push(l) } }));
    app.get('/httptest/:id', async () => 'ok');
    app.post('/httptest', async (request, reply) => reply.status(request.headers['x-refuse'] ? 409 : 201).send('created'));
    await app.ready();

    await app.inject({ method: 'GET', url: '/httptest/abc123' });
    await app.inject({ method: 'GET', url: '/httptest/def456' });
    await app.inject({ method: 'GET', url: '/no/such/route' });
    await app.inject({ method: 'POST', url: '/httptest', headers: { 'x-correlation-id': 'corr-41' } });
    await app.inject({ method: 'POST', url: '/httptest', headers: { 'x-correlation-id': 'corr-42', 'x-refuse': '1' } });
    await app.inject({ method: 'POST', url: '/httptest', headers: { 'x-request-id': 'bad id with spaces', 'x-refuse': '1' } });
    await app.close();

    const text = await metricsRegistry.metrics();
    assert.match(text, /^swarmplane_http_requests_total\{method="GET",route="\/httptest\/:id",status="200"\} 2$/m);
    assert.match(text, /^swarmplane_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    assert.match(text, /^swarmplane_http_requests_total\{method="POST",route="\/httptest",status="201"\} 1$/m);
    assert.match(text, /^swarmplane_http_requests_total\{method="POST",route="\/httptest",status="409"\} 2$/m);
    assert.match(text, /^swarmplane_http_request_duration_seconds_count\{method="GET",route="\/httptest\/:id"\} 2$/m);
    assert.ok(!text.includes('abc123'), 'no URL in a label');

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(logged.length, 2, 'reads and changes made log at debug only (a change made is in the event log)');
    assert.equal(logged[0]?.correlationId, 'corr-42');
    assert.equal(logged[0]?.status, 409);
    assert.match(String(logged[1]?.correlationId), /^[0-9a-f-]{36}$/, 'an unusable header gets a fresh id');
  });
});
