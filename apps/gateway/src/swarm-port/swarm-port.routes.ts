import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  Subjects,
  SwarmErrors,
  SwarmPortPaths,
  SwarmPortRefusals,
  type HeartbeatReply,
  type JoinNodeReply,
  type JoinReply,
  type JoinRequest,
  type RenewNodeCertificateReply,
  type RenewReply,
  type RenewRequest,
} from '#contracts';
import { RPC_CLIENT, RpcClient } from '#runtime';
import { ReadModelService } from '../read-model/read-model.service.js';
import { EngineForwarder, type PipeReply } from './engine-forwarder.js';
import { FailedJoinLimiter } from './failed-join-limiter.js';
import type { PortReply } from './port-reply.js';
import { peerIdentity, type NodeIdentity } from './tls-identity.js';

export type { PortReply };

const MAX_BODY = 256 * 1024;

/** The swarm port's routes (see SwarmPortPaths for the contract). */
@Injectable()
export class SwarmPortRoutes {
  private readonly limiter = new FailedJoinLimiter();

  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(EngineForwarder) private readonly engine: EngineForwarder,
  ) {}

  async handle(req: IncomingMessage, socket: TLSSocket): Promise<PortReply | PipeReply> {
    const url = req.url ?? '/';
    const body = await readBody(req);
    if (req.method === 'GET' && url === SwarmPortPaths.rootCa) return { status: 200, contentType: 'text/plain; charset=utf-8', body: this.caPem() };
    if (req.method === 'POST' && url === SwarmPortPaths.join) return json(await this.join(JSON.parse(body.toString() || '{}') as JoinRequest, socket));
    if (url.startsWith(`${SwarmPortPaths.enginePrefix}/`)) {
      const caller = this.member(socket);
      if (caller.role !== 'manager' || this.readModel.model.nodes.get(caller.nodeId)?.data.role !== 'manager') {
        throw new DomainError({ code: 'NotManager', kind: 'Forbidden', message: SwarmPortRefusals.notManager });
      }
      return this.engine.forward(req.method ?? 'GET', url.slice(SwarmPortPaths.enginePrefix.length), req.headers['content-type'], body);
    }
    if (req.method !== 'POST') throw new DomainError(SwarmErrors.notFound('page not found'));
    const caller = this.member(socket);
    const context = { correlationId: `node-${caller.nodeId}`, actor: `node:${caller.nodeId}` };
    switch (url) {
      case SwarmPortPaths.heartbeat:
        this.rpc.emit(Subjects.nodesHeartbeat, { nodeId: caller.nodeId, at: Date.now() });
        return json(this.heartbeatReply(caller));
      case SwarmPortPaths.renew: {
        const { csrPem } = JSON.parse(body.toString() || '{}') as RenewRequest;
        const renewed = await this.rpc.request<RenewNodeCertificateReply>(Subjects.nodesRenew, { context, nodeId: caller.nodeId, csrPem });
        const reply: RenewReply = { certPem: renewed.certPem, role: renewed.role };
        return json(reply);
      }
      case SwarmPortPaths.leave:
        await this.rpc.request(Subjects.nodesLeave, { context, nodeId: caller.nodeId });
        return json({});
      default:
        throw new DomainError(SwarmErrors.notFound('page not found'));
    }
  }

  private async join(request: JoinRequest, socket: TLSSocket): Promise<JoinReply> {
    const addr = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    this.limiter.check(addr);
    let joined: JoinNodeReply;
    try {
      joined = await this.rpc.request<JoinNodeReply>(Subjects.nodesJoin, {
        context: { correlationId: `join-${addr}-${Date.now()}`, actor: `join:${addr}` },
        token: String(request.token ?? ''),
        csrPem: String(request.csrPem ?? ''),
        availability: request.availability || 'active',
        addr,
        description: request.description,
      });
    } catch (error) {
      // Only rejections count towards the limit: a 503 (failover) says nothing about the token.
      if (!(error instanceof DomainError && error.kind === 'Unavailable')) this.limiter.failed(addr);
      throw error;
    }
    await this.readModel.waitFor(joined.position);
    return {
      nodeId: joined.nodeId,
      clusterId: joined.clusterId,
      role: joined.role,
      certPem: joined.certPem,
      caPem: joined.caPem,
      managers: this.managers(),
      heartbeatPeriodMs: this.heartbeatPeriodMs(),
      nodeAddr: addr,
    };
  }

  private heartbeatReply(caller: NodeIdentity): HeartbeatReply {
    const node = this.readModel.model.nodes.get(caller.nodeId);
    return { role: node?.data.role ?? caller.role, managers: this.managers(), heartbeatPeriodMs: this.heartbeatPeriodMs() };
  }

  /** A caller whose certificate verified, of this cluster, and not removed. */
  private member(socket: TLSSocket): NodeIdentity {
    const identity = peerIdentity(socket);
    const model = this.readModel.model;
    if (!identity || identity.clusterId !== model.currentClusterId || !model.nodes.has(identity.nodeId)) {
      throw new DomainError({ code: 'Unauthenticated', kind: 'Forbidden', message: SwarmPortRefusals.notMember });
    }
    return identity;
  }

  private caPem(): string {
    const clusterId = this.readModel.model.currentClusterId;
    const ca = clusterId ? this.readModel.model.cas.get(clusterId) : undefined;
    if (!ca) throw new DomainError(SwarmErrors.notManager());
    return ca.certPem;
  }

  /** From the read model's index of managers (a handful), not a scan over every node. */
  private managers(): readonly { NodeID: string; Addr: string }[] {
    const clusterId = this.readModel.model.currentClusterId;
    const list: { NodeID: string; Addr: string }[] = [];
    for (const { data } of this.readModel.model.managers.values()) {
      if (data.clusterId === clusterId && data.managerAddr) list.push({ NodeID: data.nodeId, Addr: data.managerAddr });
    }
    return list;
  }

  private heartbeatPeriodMs(): number {
    const clusterId = this.readModel.model.currentClusterId;
    const spec = clusterId ? this.readModel.model.clusters.get(clusterId)?.spec : undefined;
    return Math.max(100, (spec?.Dispatcher.HeartbeatPeriod ?? 5e9) / 1e6);
  }
}

function json(value: unknown): PortReply {
  return { status: 200, contentType: 'application/json', body: `${JSON.stringify(value)}\n` };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new DomainError(SwarmErrors.invalidParameter('request body too large'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
