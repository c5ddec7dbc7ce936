import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  Streams,
  Subjects,
  ClusterEventTypes,
  type EventData,
  MembershipEventTypes,
  NodeEventTypes,
  type RequestContext,
} from '#contracts';
import { decideCluster, decideNode, evolveCluster, evolveMembership, evolveNode, initialCluster, initialMembership, initialNode } from '#domain';
import { handleCommand, loadStream, type EventStore } from '#eventstore';
import { EVENT_STORE, deterministicEventId, serviceContext, toNewEvent } from '#service-host';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { decideOnMembership } from '../membership/membership-command.js';
import { UnlockKeys } from '../autolock/unlock-keys.js';
import { isRetryableInitFailure, refusalOf, retryDelayMs } from './init-failure.js';

type InitStarted = EventData<'SwarmInitStarted'>;

const MEMBERSHIP = { types: MembershipEventTypes, initialState: initialMembership, evolve: evolveMembership };

/** Overrides the wait between attempts (tests). */
export const INIT_RETRY_DELAY = Symbol('INIT_RETRY_DELAY');

/**
 * The init process manager: after `SwarmInitStarted` it has the CA, the manager's certificate,
 * the join tokens and the ingress network made, then records the cluster and the node and marks
 * the init complete. Every step is idempotent (fixed IDs), so running it again after a crash
 * finishes a half-done init.
 *
 * All or nothing: a step that refuses for good (bad input, a service's rule) abandons the init
 * (`SwarmInitAbandoned`: inactive again) and its error is the caller's; a step that fails for a
 * while (no answer, failover) is tried again as long as the init is still under way, so the
 * membership ends `active` or `inactive`, never stays `initializing`.
 */
@Injectable()
export class InitProcess {
  private readonly logger = new Logger('InitProcess');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(UnlockKeys) private readonly unlockKeys: UnlockKeys,
    @Optional() @Inject(INIT_RETRY_DELAY) private readonly retryDelay: (attempt: number) => number = retryDelayMs,
  ) {}

  /** Completes the init, or abandons it and throws the refusal; resolves with the last event's position. */
  async run(init: InitStarted, cause: RequestContext): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.complete(init, cause);
      } catch (error) {
        if (!isRetryableInitFailure(error)) {
          await this.abandon(init, cause, error);
          throw error;
        }
        if (!(await this.underWay(init.initId))) throw error;
        this.logger.warn(`init of cluster ${init.clusterId}: ${errorText(error)}; trying again`);
        await sleep(this.retryDelay(attempt));
      }
    }
  }

  private async complete(init: InitStarted, cause: RequestContext): Promise<number> {
    const context = serviceContext('node-service', cause);
    const { clusterId, nodeId } = init;
    const root = await this.rpc.request(Subjects.caCreateRoot, { context, clusterId });
    const [certificate, tokens, ipam] = await Promise.all([
      this.rpc.request(Subjects.caIssueNodeCertificate, {
        context,
        clusterId,
        nodeId,
        role: 'manager',
        expiryNs: init.spec.CAConfig.NodeCertExpiry,
      }),
      this.rpc.request(Subjects.tokensIssue, { context, clusterId, caDigest: root.caDigest }),
      this.rpc.request(Subjects.ipamInitialize, {
        context,
        clusterId,
        pools: init.defaultAddrPool ?? [],
        subnetSize: init.defaultAddrPool?.length ? init.subnetSize : 24,
        ingressNetworkId: init.ingressNetworkId,
        createdAt: init.startedAt,
      }),
    ]);
    const cluster = await this.recordCluster(init, context);
    // Before the init is complete (and the key shown): the KEK file sealed under the recorded key.
    if (init.spec.EncryptionConfig.AutoLockManagers) await this.unlockKeys.syncKekFile(clusterId);
    const node = await this.recordNode(init, context);
    const done = await decideOnMembership(this.store, { type: 'CompleteSwarmInit', initId: init.initId }, context, deterministicEventId(init.initId, 'completed'));
    return Math.max(root.position, certificate.position, tokens.position, ipam.position, cluster, node, done.position);
  }

  /** Back to inactive, unless the init completed or ended meanwhile (the membership stream decides). */
  private async abandon(init: InitStarted, cause: RequestContext, error: unknown): Promise<void> {
    const reason = refusalOf(error);
    this.logger.warn(`init of cluster ${init.clusterId} abandoned: ${reason.message}`);
    const context = serviceContext('node-service', cause);
    for (let attempt = 0; ; attempt++) {
      try {
        await decideOnMembership(this.store, { type: 'AbandonSwarmInit', initId: init.initId, reason }, context, deterministicEventId(init.initId, 'abandoned'));
        return;
      } catch (failure) {
        if (!isRetryableInitFailure(failure)) throw failure;
        await sleep(this.retryDelay(attempt));
      }
    }
  }

  /** Whether this init is still `initializing` (an unreadable stream counts as yes: try again). */
  private async underWay(initId: string): Promise<boolean> {
    try {
      const { state } = await loadStream(this.store, Streams.membership(), MEMBERSHIP);
      return state.status === 'initializing' && state.init.initId === initId;
    } catch {
      return true;
    }
  }

  private async recordCluster(init: InitStarted, context: RequestContext): Promise<number> {
    const swarm: EventData<'SwarmCreated'> = {
      clusterId: init.clusterId,
      spec: init.spec,
      defaultAddrPool: init.defaultAddrPool,
      subnetSize: init.subnetSize,
      dataPathPort: init.dataPathPort,
      createdAt: init.startedAt,
    };
    const unlockKey = this.unlockKeys.candidate(init.clusterId, init.startedAt);
    const result = await handleCommand({
      store: this.store,
      stream: Streams.cluster(init.clusterId),
      initialState: initialCluster,
      types: ClusterEventTypes,
      evolve: evolveCluster,
      decide: (state) =>
        decideCluster({ type: 'CreateSwarm', swarm, unlockKey }, state).map((event) =>
          toNewEvent(event, context, deterministicEventId(init.initId, event.type === 'SwarmCreated' ? 'cluster' : 'unlock-key')),
        ),
    });
    return result.position;
  }

  private async recordNode(init: InitStarted, context: RequestContext): Promise<number> {
    const data: EventData<'NodeRegistered'> = {
      nodeId: init.nodeId,
      clusterId: init.clusterId,
      role: 'manager',
      availability: init.availability,
      labels: {},
      addr: init.advertiseHost,
      managerAddr: `${init.advertiseHost}:${init.advertisePort}`,
      leader: true,
      engine: init.engine,
      registeredAt: init.startedAt,
    };
    // A retried init finds the node there: the existing registration's position is the answer.
    const result = await handleCommand({
      store: this.store,
      stream: Streams.node(init.nodeId),
      types: NodeEventTypes,
      initialState: initialNode,
      evolve: evolveNode,
      decide: (state) => decideNode({ type: 'RegisterNode', node: data }, state).map((event) => toNewEvent(event, context, deterministicEventId(init.initId, 'node'))),
      assumeNew: true,
    });
    return result.position;
  }
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
