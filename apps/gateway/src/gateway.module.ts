import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#runtime';
import { NetworksController } from './networks/networks.controller.js';
import { NodesController } from './nodes/nodes.controller.js';
import { ReadModelService } from './read-model/read-model.service.js';
import { SwarmController } from './swarm/swarm.controller.js';
import { SystemController } from './system/system.controller.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [SystemController, SwarmController, NodesController, NetworksController],
  providers: [ReadModelService],
})
export class GatewayModule {}
