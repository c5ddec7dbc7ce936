import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type PositionReply, type RemoveNodeRequest } from '#contracts';
import { HandlesRequest } from '#rpc';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

/** `nodes.remove`: managers must be demoted first; a live worker needs force. A removed node cannot renew. */
@Controller()
export class RemoveNodeHandler {
  constructor(@Inject(ClusterNodesService) private readonly nodes: ClusterNodesService) {}

  @HandlesRequest(Subjects.nodesRemove)
  async remove(@Payload() request: RemoveNodeRequest): Promise<PositionReply> {
    await this.nodes.current();
    const result = await this.nodes.execute(request.nodeId, { type: 'RemoveNode', force: request.force }, request.context);
    return { position: result.position };
  }
}
