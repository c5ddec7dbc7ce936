import { DockerErrorFilter, MAX_BODY_BYTES, applyDockerHttpConventions, correlationIdOf, stripApiVersion } from '#engine-http';
import { PinoLoggerService, createLogger } from '#runtime';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseDashboardAddr } from './dashboard/dashboard-config.js';
import { GatewayModule } from './gateway.module.js';
import { instrumentHttp } from './system/http-metrics.js';

/** The Engine API on `GATEWAY_ADDR` (default 127.0.0.1:2375). */
const [host = '127.0.0.1', port = '2375'] = (process.env.GATEWAY_ADDR ?? '127.0.0.1:2375').split(':');
const logger = createLogger('gateway');
try {
  // Refused before anything starts: the dashboard serves loopback only, having no TLS.
  parseDashboardAddr(process.env.DASHBOARD_ADDR);
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
const adapter = new FastifyAdapter({
  exposeHeadRoutes: false,
  rewriteUrl: (request: { url?: string }) => stripApiVersion(request.url ?? '/'),
  bodyLimit: MAX_BODY_BYTES,
  genReqId: correlationIdOf,
});
const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, { logger: new PinoLoggerService(logger), bodyParser: false });
const fastify = app.getHttpAdapter().getInstance();
applyDockerHttpConventions(fastify);
instrumentHttp(fastify, logger.child({ context: 'http' }));
app.useGlobalFilters(new DockerErrorFilter());
app.enableShutdownHooks();
await app.listen(Number(port), host);
new Logger('gateway').log(`Engine API listening on http://${host}:${port}`);
