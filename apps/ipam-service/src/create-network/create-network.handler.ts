import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type CreateNetworkReply, type CreateNetworkRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { NetworkSpaceCommands } from '#network-space';

/** `networks.create`: one event decides the name, the subnet (lowest free) and the VXLAN ID. */
@Controller()
export class CreateNetworkHandler {
  constructor(@Inject(NetworkSpaceCommands) private readonly commands: NetworkSpaceCommands) {}

  @HandlesRequest(Subjects.networksCreate)
  create(@Payload() request: CreateNetworkRequest): Promise<CreateNetworkReply> {
    return this.commands.create(request);
  }
}
