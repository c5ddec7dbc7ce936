/**
 * The OpenAPI document of our own API is generated from the controllers: every route of every
 * gateway controller that is not the Engine API's is in it, and no Engine route is. Served by the
 * gateway application in process (supertest), with stand-ins behind it (gateway-app.test-helper.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DECORATORS } from '@nestjs/swagger';
import request from 'supertest';
import { gatewayUnderTest, type GatewayUnderTest } from '../gateway-app.test-helper.js';
import { GatewayModule } from '../gateway.module.js';

type Route = `${string} ${string}`;

/** `METHOD /path` of every handler of `controller`, read from Nest's route metadata. */
function routesOf(controller: Function): Route[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) return [];
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/').join('/')}`.replace(/\/:(\w+)/g, '/{$1}');
    return [`${method} ${path}` as Route];
  });
}

describe('OpenAPI document of our own API (@nestjs/swagger, generated from the controllers)', () => {
  let gateway: GatewayUnderTest;
  let document: { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
  const controllers = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, GatewayModule) ?? []) as Function[];
  const ours = controllers.filter((c) => !Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, c));
  const engine = controllers.filter((c) => Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, c));

  before(async () => {
    gateway = await gatewayUnderTest();
    const response = await request(gateway.app.getHttpServer()).get('/audit/openapi.json');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    document = JSON.parse(response.text);
  });
  after(() => gateway?.close());

  const documented = (): Route[] =>
    Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}` as Route));

  it('is OpenAPI 3 and lists every route of the controllers that are ours, and only those', () => {
    assert.match(document.openapi, /^3\./);
    assert.deepEqual(ours.map((c) => c.name).sort(), ['AuditController', 'MetricsController']);
    const expected = ours.flatMap(routesOf).sort();
    assert.ok(expected.length >= 7, `routes found: ${expected.join(', ')}`);
    assert.deepEqual(documented().sort(), expected);
  });

  it('lists no route of the Engine API (Docker documents it)', () => {
    const engineRoutes = new Set(engine.flatMap(routesOf));
    assert.ok(engineRoutes.has('GET /networks') && engineRoutes.has('POST /swarm/init') && engineRoutes.has('GET /tasks'));
    assert.deepEqual(documented().filter((route) => engineRoutes.has(route)), []);
  });

  it('describes each operation: a summary, and the audit queries with their types', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item) as { summary?: string }[]) assert.ok(operation.summary, `${path} has a summary`);
    }
    const events = document.paths['/audit/events']?.get as { parameters: { name: string; schema: { type: string } }[] };
    assert.deepEqual(
      Object.fromEntries(events.parameters.map((p) => [p.name, p.schema.type])),
      { stream: 'string', type: 'string', actor: 'string', correlationId: 'string', since: 'string', until: 'string', fromPosition: 'integer', toPosition: 'integer', limit: 'integer' },
    );
  });

  it('is rendered for people at /audit', async () => {
    const page = await request(gateway.app.getHttpServer()).get('/audit');
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.text, /<h1>swarmplane audit and metrics API<\/h1>/);
    for (const route of documented()) assert.ok(page.text.includes(`<code>${route}</code>`), route);
  });
});
