/**
 * The gateway's Nest application in this process, for HTTP tests with supertest: the real
 * GatewayModule, controllers, Fastify adapter and Docker conventions (gateway-http.ts), with
 * stand-ins behind it, NOT the real services: an in-memory event store (seeded with the events a
 * test gives), stand-in replies for the NATS subjects a test names (`standInRpc`), a health check
 * that reports what the test says, and no listener of its own (swarm port, dashboard, NATS
 * heartbeat watch). What the real services and the docker CLI do is the e2e tests' part.
 */
import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SwarmEvent } from '#contracts';
import type { InMemoryEventStore } from '#eventstore';
import { EVENT_STORE, InfrastructureModule, KEK, KekHolder } from '#service-host';
import { RPC_CLIENT } from '#rpc';
import { createLogger } from '#observability';
import { givenEvents, standInRpc, testKek, type ServiceStandIns } from '#testing';
import type { PingHealth } from '#engine-http';
import { publishOwnApiDocument } from './audit/own-api-document.js';
import { DashboardServer } from './dashboard/dashboard.server.js';
import { HeartbeatWatch } from './dashboard/heartbeat-watch.js';
import { applyGatewayHttp, gatewayAdapter } from './gateway-http.js';
import { GatewayModule } from './gateway.module.js';
import { SwarmPortServer } from './swarm-port/swarm-port.server.js';
import { HealthService } from './system/health.service.js';

export interface GatewayUnderTest {
  readonly app: INestApplication;
  readonly store: InMemoryEventStore;
  /** The requests the stand-ins were sent (subject and payload), in order. */
  readonly sent: { subject: string; request: unknown }[];
  close(): Promise<void>;
}

export interface GatewayStandIns {
  /** The log the read model starts from: stream -> events. */
  readonly history?: Record<string, readonly SwarmEvent[]>;
  /** Replies of the other services, per subject; a subject without one answers a transport error. */
  readonly services?: ServiceStandIns;
  /** What the health probe reports (`/_ping`); healthy by default. */
  readonly health?: PingHealth;
}

export async function gatewayUnderTest(standIns: GatewayStandIns = {}): Promise<GatewayUnderTest> {
  const store = await givenEvents(standIns.history ?? {});
  const { rpc, sent } = standInRpc(standIns.services ?? {});
  const kek = KekHolder.fixed(testKek());

  @Global()
  @Module({
    providers: [
      { provide: EVENT_STORE, useValue: store },
      { provide: RPC_CLIENT, useValue: rpc },
      { provide: KEK, useValue: kek },
    ],
    exports: [EVENT_STORE, RPC_CLIENT, KEK],
  })
  class StandInInfrastructureModule {}

  const health = standIns.health ?? { healthy: true, failures: [] };
  const moduleRef = await Test.createTestingModule({ imports: [GatewayModule] })
    .overrideModule(InfrastructureModule)
    .useModule(StandInInfrastructureModule)
    .overrideProvider(HealthService)
    .useValue({ pingHealth: async () => health, updateProjectionGauges: async () => undefined, locked: () => [], probeNow: async () => undefined })
    .overrideProvider(SwarmPortServer)
    .useValue({ reserve: async () => undefined, release: async () => undefined })
    .overrideProvider(HeartbeatWatch)
    .useValue({ lastBeats: new Map(), onBeats: () => () => undefined })
    .overrideProvider(DashboardServer)
    .useValue({})
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(gatewayAdapter(), { logger: false, bodyParser: false });
  applyGatewayHttp(app, createLogger('gateway-test', { level: 'silent' }));
  publishOwnApiDocument(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    store,
    sent,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
