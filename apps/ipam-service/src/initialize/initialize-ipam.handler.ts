import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type InitializeIpamRequest, type PositionReply } from '#contracts';
import { HandlesRequest } from '#rpc';
import { deterministicEventId, serviceContext } from '#service-host';
import { NetworkSpaceCommands } from '#network-space';

/**
 * A new swarm's address space: record its pools, then create the ingress network with the first
 * subnet. Both steps are idempotent, so a retry after a crash completes what is missing.
 */
@Controller()
export class InitializeIpamHandler {
  constructor(@Inject(NetworkSpaceCommands) private readonly commands: NetworkSpaceCommands) {}

  @HandlesRequest(Subjects.ipamInitialize)
  async initialize(@Payload() request: InitializeIpamRequest): Promise<PositionReply> {
    const { clusterId } = request;
    const context = serviceContext('ipam-service', request.context);
    await this.commands.execute(
      clusterId,
      { type: 'ConfigurePools', clusterId, pools: request.pools, subnetSize: request.subnetSize },
      context,
      deterministicEventId(clusterId, 'pools'),
    );
    const ingress = {
      networkId: request.ingressNetworkId,
      name: 'ingress',
      ingress: true,
      internal: false,
      attachable: false,
      labels: {},
      options: {},
      createdAt: request.createdAt,
    };
    const result = await this.commands.execute(
      clusterId,
      { type: 'CreateNetwork', network: ingress },
      context,
      deterministicEventId(request.ingressNetworkId, 'created'),
    );
    return { position: result.position };
  }
}
