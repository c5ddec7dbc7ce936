import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type PruneNetworksReply, type PruneNetworksRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { NetworkSpaceCommands } from '#network-space';

/** `networks.prune`: removes those of the given networks that still exist (ingress is never pruned). */
@Controller()
export class PruneNetworksHandler {
  constructor(@Inject(NetworkSpaceCommands) private readonly commands: NetworkSpaceCommands) {}

  @HandlesRequest(Subjects.networksPrune)
  async prune(@Payload() request: PruneNetworksRequest): Promise<PruneNetworksReply> {
    const { context, clusterId } = request;
    const removed: string[] = [];
    let position = 0;
    await this.commands.spaceAtHead(clusterId);
    for (const networkId of request.networkIds) {
      const network = this.commands.spaceOf(clusterId).networks.get(networkId);
      if (!network || network.ingress) continue;
      const result = await this.commands.execute(clusterId, { type: 'RemoveNetwork', networkId }, context);
      if (result.events.length > 0) removed.push(network.name);
      position = Math.max(position, result.position);
    }
    return { removed, position };
  }
}
