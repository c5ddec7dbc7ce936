import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainError, SwarmErrors, Subjects, type PositionReply, type RemoveNetworkRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { NetworkSpaceCommands } from '#network-space';

/** `networks.remove`: the subnet and VXLAN ID are free again at once. */
@Controller()
export class RemoveNetworkHandler {
  constructor(@Inject(NetworkSpaceCommands) private readonly commands: NetworkSpaceCommands) {}

  @HandlesRequest(Subjects.networksRemove)
  async remove(@Payload() request: RemoveNetworkRequest): Promise<PositionReply> {
    const { context, clusterId, networkId } = request;
    const result = await this.commands.execute(clusterId, { type: 'RemoveNetwork', networkId }, context);
    if (result.events.length === 0) throw new DomainError(SwarmErrors.notFound(`network ${networkId} not found`));
    return { position: result.position };
  }
}
