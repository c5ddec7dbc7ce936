import { randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  Subjects,
  SwarmErrors,
  type EventData,
  type JoinNodeReply,
  type JoinNodeRequest,
  issueText,
  validateJoinNodeRequest,
} from '#contracts';
import { swarmIdFromBytes } from '#domain';
import { nowRfc3339 } from '#eventstore';
import { HandlesRequest, RPC_CLIENT, RpcClient } from '#rpc';
import { serviceContext } from '#service-host';
import { ClusterNodesService } from '../projections/cluster-nodes.service.js';

/**
 * `nodes.join`: token-service decides the role from the token, ca-service signs the CSR (CN node
 * ID, OU role, O cluster ID), and the node is registered, ready. A rejected token, or a request
 * its schema refuses (the description is stored as sent), writes nothing.
 */
@Controller()
export class JoinNodeHandler {
  constructor(
    @Inject(ClusterNodesService) private readonly nodes: ClusterNodesService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  @HandlesRequest(Subjects.nodesJoin)
  async join(@Payload() payload: unknown): Promise<JoinNodeReply> {
    const issue = validateJoinNodeRequest.issue(payload);
    if (issue) throw new DomainError(SwarmErrors.invalidParameter(`invalid join request: ${issueText(issue)}`));
    const request = payload as JoinNodeRequest;
    const { role, clusterId } = await this.rpc.request(Subjects.tokensValidate, { token: request.token });
    const state = this.nodes.state;
    const caPem = state.caPems.get(clusterId);
    if (state.clusterId !== clusterId || !caPem) throw new DomainError(SwarmErrors.joinTokenRejected());
    const nodeId = swarmIdFromBytes(randomBytes(16));
    const context = serviceContext('node-service', request.context);
    const certificate = await this.rpc.request(Subjects.caIssueNodeCertificate, {
      context,
      clusterId,
      nodeId,
      role,
      expiryNs: state.nodeCertExpiryNs,
      csrPem: request.csrPem,
    });
    const node: EventData<'NodeRegistered'> = {
      nodeId,
      clusterId,
      role,
      availability: request.availability,
      labels: {},
      addr: request.addr,
      ...(role === 'manager' ? { managerAddr: `${request.addr}:2377` } : {}),
      leader: false,
      engine: request.description,
      registeredAt: nowRfc3339(),
    };
    const registered = await this.nodes.register(node, context);
    return { nodeId, clusterId, role, certPem: certificate.certPem, caPem, position: registered };
  }
}
