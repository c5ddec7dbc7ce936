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
  SwarmPortLimits,
  SwarmPortSchemas,
  parseSwarmPortBody,
  swarmPortIssueText,
  type JoinNodeReply,
  type JoinNodeRequest,
  type JoinReply,
  type JoinRequest,
  type RenewReply,
  type SchemaValidator,
} from '#contracts';
import { renewalReason } from '#domain';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { ReadModelService } from '../read-model/read-model.service.js';
import { EngineForwarder, type PipeReply } from './engine-forwarder.js';
import { FailedJoinLimiter } from './failed-join-limiter.js';
import type { PortReply } from './port-reply.js';
import { peerIdentity, type NodeIdentity } from './tls-identity.js';

export type { PortReply };

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
    if (req.method === 'GET' && url === SwarmPortPaths.rootCa) return { status: 200, contentType: 'text/plain; charset=utf-8', body: this.caPem() };
    if (req.method === 'POST' && url === SwarmPortPaths.join) return json(await this.join(req, socket));
    if (url.startsWith(`${SwarmPortPaths.enginePrefix}/`)) return this.forward(req, url, socket);
    if (req.method !== 'POST') throw new DomainError(SwarmErrors.notFound('page not found'));
    const caller = this.member(socket);
    const context = { correlationId: `node-${caller.nodeId}`, actor: `node:${caller.nodeId}` };
    switch (url) {
      case SwarmPortPaths.heartbeat:
        checked('heartbeat request', await readBody(req), SwarmPortSchemas.heartbeatRequest);
        this.rpc.emit(Subjects.nodesHeartbeat, { nodeId: caller.nodeId, at: Date.now() });
        return json(this.heartbeatReply(caller));
      case SwarmPortPaths.renew: {
        const { csrPem } = checked('renew request', await readBody(req), SwarmPortSchemas.renewRequest);
        const renewed = await this.rpc.request(Subjects.nodesRenew, { context, nodeId: caller.nodeId, csrPem });
        const reply: RenewReply = { certPem: renewed.certPem, role: renewed.role };
        return json(reply);
      }
      case SwarmPortPaths.leave:
        checked('leave request', await readBody(req), SwarmPortSchemas.leaveRequest);
        await this.rpc.request(Subjects.nodesLeave, { context, nodeId: caller.nodeId });
        return json({});
      default:
        throw new DomainError(SwarmErrors.notFound('page not found'));
    }
  }

  /** Only a manager of this swarm may call the Engine API through the port; the framing is checked, the body is the Engine API's. */
  private async forward(req: IncomingMessage, url: string, socket: TLSSocket): Promise<PipeReply> {
    const caller = this.member(socket);
    if (caller.role !== 'manager' || this.readModel.model.nodes.get(caller.nodeId)?.data.role !== 'manager') {
      throw new DomainError({ code: 'NotManager', kind: 'Forbidden', message: SwarmPortRefusals.notManager });
    }
    const contentType = req.headers['content-type'];
    const framing = { method: req.method ?? '', path: url.slice(SwarmPortPaths.enginePrefix.length), ...(contentType === undefined ? {} : { contentType }) };
    const issue = SwarmPortSchemas.engineCall.issue(framing);
    if (issue) throw new DomainError(SwarmErrors.invalidParameter(swarmPortIssueText('engine call', issue)));
    const body = await readBody(req);
    return this.engine.forward(framing.method, framing.path, contentType, body);
  }

  /**
   * A malformed or oversized join body counts as a failed join, like a refused token: both are
   * what a token guesser or a fuzzer sends, and the limiter is checked before the body is read.
   */
  private async join(req: IncomingMessage, socket: TLSSocket): Promise<JoinReply> {
    const addr = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    this.limiter.check(addr);
    let request: JoinRequest;
    try {
      request = checked('join request', await readBody(req), SwarmPortSchemas.joinRequest);
    } catch (error) {
      this.limiter.failed(addr);
      throw error;
    }
    let joined: JoinNodeReply;
    try {
      joined = await this.rpc.request(Subjects.nodesJoin, {
        context: { correlationId: `join-${addr}-${Date.now()}`, actor: `join:${addr}` },
        token: request.token,
        csrPem: request.csrPem,
        availability: request.availability,
        addr,
        description: request.description,
      } satisfies JoinNodeRequest);
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
    const model = this.readModel.model;
    const node = model.nodes.get(caller.nodeId);
    const ca = model.cas.get(caller.clusterId);
    const reply: HeartbeatReply = { role: node?.data.role ?? caller.role, managers: this.managers(), heartbeatPeriodMs: this.heartbeatPeriodMs() };
    if (!ca) return reply;
    const renew = this.renewReason(caller.nodeId, ca.rotation?.root.caDigest ?? ca.caDigest);
    return { ...reply, trustRootPem: ca.certPem, ...(ca.rotation ? { rotationRootPem: ca.rotation.root.certPem } : {}), ...(renew ? { renew } : {}) };
  }

  /** A rotation or an expiry change the node's current certificate (as the log has it) does not follow yet; its age is the node's own business. */
  private renewReason(nodeId: string, desiredCaDigest: string): HeartbeatReply['renew'] {
    const issued = this.readModel.model.nodeCertificates.get(nodeId);
    if (!issued) return undefined;
    const certificate = {
      serial: issued.serial,
      notBeforeMs: issued.notBefore ? Date.parse(issued.notBefore) : undefined,
      notAfterMs: Date.parse(issued.notAfter),
      issuerCaDigest: issued.issuerCaDigest,
    };
    const reason = renewalReason({ certificate, desiredCaDigest, expiryNs: this.expiryNs(), nowMs: 0 });
    return reason === 'due' ? undefined : reason;
  }

  private expiryNs(): number {
    const clusterId = this.readModel.model.currentClusterId;
    return (clusterId ? this.readModel.model.clusters.get(clusterId)?.spec.CAConfig.NodeCertExpiry : undefined) ?? 0;
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

/** The body, checked by its schema; refused with 400 and a text saying what is wrong. */
function checked<T>(what: string, body: Buffer, validate: SchemaValidator<T>): T {
  const parsed = parseSwarmPortBody(what, body, validate);
  if ('refusal' in parsed) throw new DomainError(SwarmErrors.invalidParameter(parsed.refusal));
  return parsed.value;
}

/**
 * At most `SwarmPortLimits.maxBody` bytes (a 413-sized body is refused without reading it all),
 * so that nothing a node sends can make a NATS payload reach nats-server's 1 MiB max_payload.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > SwarmPortLimits.maxBody) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > SwarmPortLimits.maxBody) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(`request body too large: at most ${SwarmPortLimits.maxBody} bytes`));
}
