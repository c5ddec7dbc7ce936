import { EngineListenError, engineTlsServerOptions, listenEngineApi, type EngineListenPlan } from '#engine-http';
import { PinoLoggerService, createLogger } from '#observability';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { publishOwnApiDocument } from './audit/own-api-document.js';
import { parseDashboardAddr } from './dashboard/dashboard-config.js';
import { gatewayListenPlan } from './engine-listen-config.js';
import { applyGatewayHttp, gatewayAdapter } from './gateway-http.js';
import { GatewayModule } from './gateway.module.js';

/** The Engine API: a unix socket by default, see engine-listen-config.ts. */
let plan: EngineListenPlan;
let https: ReturnType<typeof engineTlsServerOptions> | undefined;
try {
  plan = gatewayListenPlan();
  https = plan.kind === 'tcp' && plan.tls ? engineTlsServerOptions(plan.tls) : undefined;
} catch (error) {
  if (!(error instanceof EngineListenError)) throw error;
  // Refused before anything binds; a supervisor restarting this sees the same line each time.
  process.stderr.write(`gateway: ${error.message}\n`);
  process.exit(1);
}
const logger = createLogger('gateway');
try {
  // Refused before anything starts: the dashboard serves loopback only, having no TLS.
  parseDashboardAddr(process.env.DASHBOARD_ADDR);
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, gatewayAdapter(https), { logger: new PinoLoggerService(logger), bodyParser: false });
applyGatewayHttp(app, logger.child({ context: 'http' }));
publishOwnApiDocument(app);
app.enableShutdownHooks();
const gatewayLog = new Logger('gateway');
let url: string;
try {
  url = await listenEngineApi(app, plan, gatewayLog);
} catch (error) {
  // E.g. another live gateway serves the socket: say so, do not take it over.
  if (!(error instanceof EngineListenError)) throw error;
  process.stderr.write(`gateway: ${error.message}\n`);
  await app.close();
  process.exit(1);
}
gatewayLog.log(`Engine API listening on ${url}${https ? ' (TLS, client certificates required)' : ''}`);
