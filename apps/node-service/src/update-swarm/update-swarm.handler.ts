import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CaErrors,
  DomainError,
  Streams,
  Subjects,
  SwarmErrors,
  ClusterEventTypes,
  MembershipEventTypes,
  type PositionReply,
  type UpdateSwarmRequest,
} from '#contracts';
import { decideCluster, evolveCluster, evolveMembership, initialCluster, initialMembership } from '#domain';
import { type EventStore, handleCommand, loadStream, WrongExpectedRevisionError } from '#eventstore';
import { HandlesRequest, RPC_CLIENT, RpcClient } from '#rpc';
import { EVENT_STORE, serviceContext, toNewEvent } from '#service-host';
import { UnlockKeys } from '../autolock/unlock-keys.js';

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
    @Inject(UnlockKeys) private readonly unlockKeys: UnlockKeys,
  ) {}

  @HandlesRequest(Subjects.swarmUpdate)
  async update(@Payload() request: UpdateSwarmRequest): Promise<PositionReply> {
    const clusterId = await this.currentClusterId();
    this.unlockKeys.checkSealable(request.spec.EncryptionConfig?.AutoLockManagers);
    const unlockKey = this.unlockKeys.candidate(clusterId, new Date().toISOString());
    const { signingCa } = request;
    // The desired root is checked before the spec is recorded: a refused one leaves no event.
    if (signingCa) {
      await this.rpc.request(Subjects.caRotateRoot, { context: request.context, clusterId, rotationId: 'check', signingCa: this.sealedOnly(signingCa), checkOnly: true });
    }
    let forceRotated = false;
    let result;
    try {
      result = await handleCommand({
        store: this.store,
        stream: Streams.cluster(clusterId),
        types: ClusterEventTypes,
        initialState: initialCluster,
        evolve: evolveCluster,
        decide: (state) => {
          const { signingCa: _signingCa, ...update } = request;
          void _signingCa;
          const events = decideCluster({ type: 'UpdateSwarm', ...update, unlockKey }, state);
          const updated = events[0];
          forceRotated = state.exists && updated?.type === 'SwarmUpdated' && (updated.data.spec.CAConfig.ForceRotate ?? 0) !== (state.spec.CAConfig.ForceRotate ?? 0);
          return events.map((event) => toNewEvent(event, request.context));
        },
        // The version the client read: decided on it or not at all.
        expectedRevision: request.version,
      });
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new DomainError(SwarmErrors.updateOutOfSequence());
      throw error;
    }
    if (result.events.some((event) => event.type === 'UnlockKeyIssued' || event.type === 'UnlockKeyRemoved')) {
      await this.unlockKeys.syncKekFile(clusterId);
    }
    let position = result.position;
    const roles = [
      ...(request.rotateWorkerToken ? (['worker'] as const) : []),
      ...(request.rotateManagerToken ? (['manager'] as const) : []),
    ];
    const updated = result.events[0];
    if (roles.length > 0 && updated) {
      const context = serviceContext('node-service', request.context, updated.id);
      const rotated = await this.rpc.request(Subjects.tokensRotate, {
        context,
        clusterId,
        roles,
        causationEventId: updated.id,
      });
      position = Math.max(position, rotated.position);
    }
    if (updated && (forceRotated || signingCa)) {
      // The rotation follows the recorded update, keyed by its id (started once however often this is retried).
      const context = serviceContext('node-service', request.context, updated.id);
      const rotated = await this.rpc.request(Subjects.caRotateRoot, {
        context,
        clusterId,
        rotationId: updated.id,
        ...(signingCa ? { signingCa: this.sealedOnly(signingCa) } : {}),
      });
      position = Math.max(position, rotated.position);
    }
    return { position };
  }

  /** The gateway sealed the key; a signing CA without one was refused there (no external CA here). */
  private sealedOnly(signingCa: NonNullable<UpdateSwarmRequest['signingCa']>): { certPem: string; sealedKey: NonNullable<NonNullable<UpdateSwarmRequest['signingCa']>['sealedKey']> } {
    if (!signingCa.sealedKey) throw new DomainError(CaErrors.noExternalCa());
    return { certPem: signingCa.certPem, sealedKey: signingCa.sealedKey };
  }

  private async currentClusterId(): Promise<string> {
    const fold = { types: MembershipEventTypes, initialState: initialMembership, evolve: evolveMembership };
    const { state: membership } = await loadStream(this.store, Streams.membership(), fold);
    if (membership.status !== 'active') throw new DomainError(SwarmErrors.notManager());
    return membership.init.clusterId;
  }
}
