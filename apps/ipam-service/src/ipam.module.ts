import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { CreateNetworkHandler } from './create-network/create-network.handler.js';
import { InitializeIpamHandler } from './initialize/initialize-ipam.handler.js';
import { NetworkSpaceCommands } from '#network-space';
import { PruneNetworksHandler } from './prune-networks/prune-networks.handler.js';
import { RemoveNetworkHandler } from './remove-network/remove-network.handler.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [InitializeIpamHandler, CreateNetworkHandler, RemoveNetworkHandler, PruneNetworksHandler],
  providers: [NetworkSpaceCommands],
})
export class IpamModule {}
