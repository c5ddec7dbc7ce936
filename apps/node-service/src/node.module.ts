import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { HeartbeatsService } from './heartbeats/heartbeats.service.js';
import { InitProcess } from './init-swarm/init-process.js';
import { IntegrationPublisher } from './integration-events/integration-publisher.service.js';
import { InitSwarmHandler } from './init-swarm/init-swarm.handler.js';
import { ResumeInitService } from './init-swarm/resume-init.service.js';
import { JoinNodeHandler } from './join-node/join-node.handler.js';
import { LeaveSwarmHandler } from './leave-swarm/leave-swarm.handler.js';
import { ClusterNodesService } from './projections/cluster-nodes.service.js';
import { RemoveNodeHandler } from './remove-node/remove-node.handler.js';
import { CLOCK, systemClock } from './renew-certificate/clock.js';
import { ManagerRenewalService } from './renew-certificate/manager-renewal.service.js';
import { RenewCertificateHandler } from './renew-certificate/renew-certificate.handler.js';
import { RootRotationWatcher } from './root-rotation/root-rotation.watcher.js';
import { UpdateNodeHandler } from './update-node/update-node.handler.js';
import { UpdateSwarmHandler } from './update-swarm/update-swarm.handler.js';
import { UnlockKeys } from './autolock/unlock-keys.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [
    InitSwarmHandler,
    UpdateSwarmHandler,
    LeaveSwarmHandler,
    JoinNodeHandler,
    UpdateNodeHandler,
    RemoveNodeHandler,
    RenewCertificateHandler,
    HeartbeatsService,
  ],
  providers: [
    UnlockKeys,
    InitProcess,
    ResumeInitService,
    ClusterNodesService,
    IntegrationPublisher,
    ManagerRenewalService,
    RootRotationWatcher,
    { provide: CLOCK, useValue: systemClock },
  ],
})
export class NodeModule {}
