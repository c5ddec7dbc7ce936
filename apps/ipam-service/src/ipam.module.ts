import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { InitializeIpamHandler } from './initialize/initialize-ipam.handler.js';
import { NetworkSpaceCommands } from '#network-space';
import { PruneNetworksHandler } from './prune-networks/prune-networks.handler.js';
import { RemoveNetworkHandler } from './remove-network/remove-network.handler.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [InitializeIpamHandler, RemoveNetworkHandler, PruneNetworksHandler],
  providers: [NetworkSpaceCommands],
})
export class IpamModule {}
