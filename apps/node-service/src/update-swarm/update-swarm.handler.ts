import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DomainError,
  Streams,
  Subjects,
  SwarmErrors,
  type ClusterEvent,
  type MembershipEvent,
  type PositionReply,
  type UpdateSwarmRequest,
} from '#contracts';
import { decideCluster, evolveCluster, evolveMembership, initialCluster, initialMembership } from '#domain';
import { WrongExpectedRevisionError, readableEvents, type EventStore } from '#eventstore';
import { EVENT_STORE, RPC_CLIENT, RpcClient, serviceContext, toNewEvent } from '#runtime';

/**
 * `swarm.update`: the cluster stream's revision is the cluster's `Version.Index`, so the version
 * the client read is the expected revision of the append: a stale one is "update out of sequence".
 * Token rotations follow the recorded `SwarmUpdated`, keyed by its id (applied once).
 */
@Controller()
export class UpdateSwarmHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  @MessagePattern(Subjects.swarmUpdate)
  async update(@Payload() request: UpdateSwarmRequest): Promise<PositionReply> {
    const clusterId = await this.currentClusterId();
    const stream = Streams.cluster(clusterId);
    const { events, revision } = await this.store.readStream(stream);
    if (revision !== request.version) throw new DomainError(SwarmErrors.updateOutOfSequence());
    const state = readableEvents('swarm update', events).reduce((s, e) => evolveCluster(s, e as unknown as ClusterEvent), initialCluster);
    const decided = decideCluster({ type: 'UpdateSwarm', ...request }, state);
    const newEvents = decided.map((event) => toNewEvent(event, request.context));
    let position: number;
    try {
      position = (await this.store.append(stream, newEvents, request.version)).position;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new DomainError(SwarmErrors.updateOutOfSequence());
      throw error;
    }
    const roles = [
      ...(request.rotateWorkerToken ? (['worker'] as const) : []),
      ...(request.rotateManagerToken ? (['manager'] as const) : []),
    ];
    const updated = newEvents[0];
    if (roles.length > 0 && updated) {
      const context = serviceContext('node-service', request.context, updated.id);
      const rotated = await this.rpc.request<PositionReply>(Subjects.tokensRotate, {
        context,
        clusterId,
        roles,
        causationEventId: updated.id,
      });
      position = Math.max(position, rotated.position);
    }
    return { position };
  }

  private async currentClusterId(): Promise<string> {
    const { events } = await this.store.readStream(Streams.membership());
    const membership = readableEvents('swarm update', events).reduce((s, e) => evolveMembership(s, e as unknown as MembershipEvent), initialMembership);
    if (membership.status !== 'active') throw new DomainError(SwarmErrors.notManager());
    return membership.init.clusterId;
  }
}
