import { applyDockerHttpConventions, correlationIdOf, DockerErrorFilter, MAX_BODY_BYTES, stripApiVersion } from '#engine-http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { instrumentHttp } from './system/http-metrics.js';

/**
 * The Engine API's HTTP layer, shared by main.ts and the in-process HTTP tests so that they test
 * what runs: versioned paths rewritten to unversioned ones, Docker's body limit and correlation
 * IDs (Fastify options), then Docker's headers, version check, body parsing and error filter.
 */
export function gatewayAdapter(https?: TlsOptions & SecureContextOptions): FastifyAdapter {
  return new FastifyAdapter({
    exposeHeadRoutes: false,
    rewriteUrl: (request: { url?: string }) => stripApiVersion(request.url ?? '/'),
    bodyLimit: MAX_BODY_BYTES,
    genReqId: correlationIdOf,
    ...(https ? { https } : {}),
  });
}

/** Docker's conventions on an application made with `gatewayAdapter` (before it listens or is initialised). */
export function applyGatewayHttp(app: NestFastifyApplication, httpLogger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  applyDockerHttpConventions(fastify);
  instrumentHttp(fastify, httpLogger);
  app.useGlobalFilters(new DockerErrorFilter());
}
