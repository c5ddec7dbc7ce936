import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InfrastructureModule } from '#service-host';
import { NetworkSpaceCommands, SHARED_NETWORK_SPACES } from '#network-space';
import { AuditController } from './audit/audit.controller.js';
import { OwnApiDocument } from './audit/own-api-document.js';
import { DashboardServer } from './dashboard/dashboard.server.js';
import { HeartbeatWatch } from './dashboard/heartbeat-watch.js';
import { LiveFeed } from './dashboard/live-feed.js';
import { EventsController } from './events/events.controller.js';
import { NetworksController } from './networks/networks.controller.js';
import { NodesController } from './nodes/nodes.controller.js';
import { ReadModelService } from './read-model/read-model.service.js';
import { SwarmController } from './swarm/swarm.controller.js';
import { LockState } from './swarm/lock-state.js';
import { LockedGuard } from './swarm/locked.guard.js';
import { HealthService } from './system/health.service.js';
import { MetricsController } from './system/metrics.controller.js';
import { SystemController } from './system/system.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { ServicesController } from './services/services.controller.js';
import { EngineForwarder } from './swarm-port/engine-forwarder.js';
import { SwarmPortRoutes } from './swarm-port/swarm-port.routes.js';
import { SwarmPortServer } from './swarm-port/swarm-port.server.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [SystemController, SwarmController, NodesController, NetworksController, TasksController, ServicesController, EventsController, AuditController, MetricsController],
  providers: [
    OwnApiDocument,
    ReadModelService,
    // The gateway's network spaces come with its read model's subscription (decision 0021).
    { provide: SHARED_NETWORK_SPACES, useFactory: (readModel: ReadModelService) => readModel.networkSpaces, inject: [ReadModelService] },
    NetworkSpaceCommands,
    HealthService,
    LockState,
    { provide: APP_GUARD, useClass: LockedGuard },
    EngineForwarder,
    SwarmPortRoutes,
    SwarmPortServer,
    HeartbeatWatch,
    LiveFeed,
    DashboardServer,
  ],
})
export class GatewayModule {}
