import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { loadRuntimeConfig } from './config.js';
import { PinoLoggerService, createLogger } from './logging/logger.js';
import { RpcLoggingInterceptor } from './logging/rpc-logging.interceptor.js';
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
  app.useGlobalInterceptors(new RpcLoggingInterceptor());
  app.enableShutdownHooks();
  await serveMetrics(queue);
  await app.listen();
  new Logger(queue).log(`listening on NATS ${config.natsServers.join(',')} in queue group ${queue}`);
}

/**
 * `/metrics` at `METRICS_ADDR`; a port already taken (one address given to several processes) is
 * logged, not fatal.
 */
async function serveMetrics(service: string): Promise<void> {
  const addr = process.env.METRICS_ADDR;
  if (!addr) return;
  const logger = new Logger(service);
  try {
    await startMetricsServer(addr);
    logger.log(`metrics on http://${addr}/metrics`);
  } catch (error) {
    logger.error({ msg: `no metrics on ${addr}`, err: error });
  }
}
