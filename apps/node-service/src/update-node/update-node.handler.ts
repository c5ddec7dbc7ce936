import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type PositionReply, type UpdateNodeRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';
import { managerCount } from '../projections/cluster-nodes.projection.js';

/**
 * `nodes.update` (node update, promote, demote): the node's `Version.Index` the client read is the
 * expected revision; the last manager cannot be demoted.
 */
@Controller()
export class UpdateNodeHandler {
  constructor(@Inject(ClusterNodesService) private readonly nodes: ClusterNodesService) {}

  @HandlesRequest(Subjects.nodesUpdate)
  async update(@Payload() request: UpdateNodeRequest): Promise<PositionReply> {
    const state = await this.nodes.current();
    const command = {
      type: 'UpdateNodeSpec' as const,
      role: request.role,
      availability: request.availability,
      labels: request.labels,
      managerCount: managerCount(state),
    };
    const result = await this.nodes.execute(request.nodeId, command, request.context, request.version);
    return { position: result.position };
  }
}
