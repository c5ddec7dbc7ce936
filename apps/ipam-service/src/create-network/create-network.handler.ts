import { randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type CreateNetworkReply, type CreateNetworkRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { swarmIdFromBytes } from '#domain';
import { nowRfc3339 } from '#eventstore';
import { NetworkSpaceCommands } from '../network-space/network-space.commands.js';

/** `networks.create`: one event decides the name, the subnet (lowest free) and the VXLAN ID. */
@Controller()
export class CreateNetworkHandler {
  constructor(@Inject(NetworkSpaceCommands) private readonly commands: NetworkSpaceCommands) {}

  @HandlesRequest(Subjects.networksCreate)
  async create(@Payload() request: CreateNetworkRequest): Promise<CreateNetworkReply> {
    const { context, clusterId, networkId = swarmIdFromBytes(randomBytes(16)), ...wanted } = request;
    const result = await this.commands.execute(
      clusterId,
      { type: 'CreateNetwork', network: { ...wanted, networkId, createdAt: nowRfc3339() } },
      context,
    );
    return { networkId, position: result.position };
  }
}
