import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  Subjects,
  SwarmErrors,
  type RenewNodeCertificateReply,
  type RenewNodeCertificateRequest,
} from '#contracts';
import { HandlesRequest, RPC_CLIENT, RpcClient } from '#rpc';
import { serviceContext } from '#service-host';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

/**
 * `nodes.renew`: a node the swarm port authenticated by its current certificate gets a new one, for
 * its current role (a promoted node gets its manager certificate this way). Removed nodes cannot.
 */
@Controller()
export class RenewCertificateHandler {
  constructor(
    @Inject(ClusterNodesService) private readonly nodes: ClusterNodesService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  @HandlesRequest(Subjects.nodesRenew)
  async renew(@Payload() request: RenewNodeCertificateRequest): Promise<RenewNodeCertificateReply> {
    const state = await this.nodes.current();
    const node = state.nodes.get(request.nodeId)?.node;
    if (!node?.exists || node.removed || node.registered.clusterId !== state.clusterId) {
      throw new DomainError({ code: 'NodeRemoved', kind: 'Forbidden', message: `node ${request.nodeId} is not a member of the swarm` });
    }
    const certificate = await this.rpc.request(Subjects.caIssueNodeCertificate, {
      context: serviceContext('node-service', request.context),
      clusterId: node.registered.clusterId,
      nodeId: request.nodeId,
      role: node.role,
      expiryNs: state.nodeCertExpiryNs,
      csrPem: request.csrPem,
    });
    return { certPem: certificate.certPem, role: node.role, position: certificate.position };
  }
}
