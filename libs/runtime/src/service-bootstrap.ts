import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { loadRuntimeConfig, natsConnectionOptions } from './config.js';
import { RpcErrorFilter } from './rpc-error.filter.js';

/**
 * Starts a NestJS microservice on NATS in the queue group `queue`, so that replicas share the
 * load. Stops cleanly on SIGINT/SIGTERM.
 */
export async function bootstrapService(module: Type<unknown>, queue: string): Promise<void> {
  const config = loadRuntimeConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: { ...natsConnectionOptions(config), queue, name: queue },
    logger: ['error', 'warn', 'log'],
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.enableShutdownHooks();
  await app.listen();
  new Logger(queue).log(`listening on NATS ${config.natsServers.join(',')} in queue group ${queue}`);
}
