import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { loadRuntimeConfig } from './config.js';
import { clearReadiness, publishReadiness } from './readiness-file.js';
import { RpcErrorFilter } from './rpc-error.filter.js';

/**
 * Starts a NestJS microservice on NATS in the queue group `queue`, so that replicas share the
 * load. Stops cleanly on SIGINT/SIGTERM. With `READY_FILE` set, the file holds the PID while the
 * service is connected to NATS (the container health check).
 */
export async function bootstrapService(module: Type<unknown>, queue: string): Promise<void> {
  const config = loadRuntimeConfig();
  const readyFile = process.env.READY_FILE;
  if (readyFile) clearReadiness(readyFile);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: { servers: config.natsServers, queue, name: queue, noAsyncTraces: true },
    logger: ['error', 'warn', 'log'],
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.enableShutdownHooks();
  await app.listen();
  if (readyFile) publishReadiness(readyFile, app.status);
  new Logger(queue).log(`listening on NATS ${config.natsServers.join(',')} in queue group ${queue}`);
}
