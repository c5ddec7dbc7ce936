import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServerNats, type MicroserviceOptions } from '@nestjs/microservices';
import { loadRuntimeConfig, natsConnectionOptions } from './config.js';
import { createLogger, PinoLoggerService, RpcLoggingInterceptor, startMetricsServer } from '#observability';
import { withLiveness } from './liveness.js';
import { clearReadiness, publishReadiness } from './readiness-file.js';
import { RpcErrorFilter } from './rpc-error.filter.js';

/**
 * Starts a NestJS microservice on NATS in the queue group `queue`, so that replicas share the
 * load, logging JSON lines through pino (`LOG_LEVEL`) and serving `/metrics` at `METRICS_ADDR`
 * when it is set. Stops cleanly on SIGINT/SIGTERM. With `READY_FILE` set, the file holds the PID
 * while the service is connected to NATS (the container health check). Every service answers its
 * liveness subject (`health.<queue>`, see withLiveness), which the gateway's `/_ping` probes.
 */
export async function bootstrapService(module: Type<unknown>, queue: string): Promise<void> {
  const config = loadRuntimeConfig();
  const readyFile = process.env.READY_FILE;
  if (readyFile) clearReadiness(readyFile);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(withLiveness(module, queue), {
    strategy: new PlainSubjectServerNats({ ...natsConnectionOptions(config), queue, name: queue }),
    logger: new PinoLoggerService(createLogger(queue)),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalInterceptors(new RpcLoggingInterceptor());
  app.enableShutdownHooks();
  await serveMetrics(queue);
  await app.listen();
  if (readyFile) publishReadiness(readyFile, app.status);
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

/**
 * NestJS's NATS server first tries `JSON.parse` on every incoming subject (patterns may be JSON
 * objects); our subjects are plain strings (`nodes.join`), so each message paid for a thrown
 * SyntaxError, 20-50 µs in the join profiles. Only a subject that can be JSON is parsed here.
 */
class PlainSubjectServerNats extends ServerNats {
  override getRouteFromPattern(pattern: string): string {
    const first = pattern.charCodeAt(0);
    return first === 0x7b || first === 0x5b || first === 0x22 ? super.getRouteFromPattern(pattern) : this.normalizePattern(pattern);
  }
}
