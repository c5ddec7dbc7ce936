import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { loadRuntimeConfig } from './config.js';
import { PinoLoggerService, createLogger } from './logging/logger.js';
import { startMetricsServer } from './metrics/metrics-server.js';
import { RpcErrorFilter } from './rpc-error.filter.js';

/**
 * Starts a NestJS microservice on NATS in the queue group `queue`, so that replicas share the
 * load, logging JSON lines through pino (`LOG_LEVEL`) and serving `/metrics` at `METRICS_ADDR`
 * when it is set. Stops cleanly on SIGINT/SIGTERM.
 */
export async function bootstrapService(module: Type<unknown>, queue: string): Promise<void> {
  const config = loadRuntimeConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: { servers: config.natsServers, queue, name: queue, noAsyncTraces: true },
    logger: new PinoLoggerService(createLogger(queue)),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.enableShutdownHooks();
  const metricsAddr = process.env.METRICS_ADDR;
  if (metricsAddr) {
    const server = await startMetricsServer(metricsAddr);
    new Logger(queue).log(`metrics on http://${metricsAddr}/metrics`);
    process.once('beforeExit', () => server.close());
  }
  await app.listen();
  new Logger(queue).log(`listening on NATS ${config.natsServers.join(',')} in queue group ${queue}`);
}
