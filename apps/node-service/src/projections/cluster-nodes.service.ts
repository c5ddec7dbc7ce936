import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainError, NodeEventTypes, Streams, SwarmErrors, type EventData, type RequestContext } from '#contracts';
import { decideNode, evolveNode, initialNode, type NodeCommand } from '#domain';
import { ProjectionRunner, decideOnProjection, handleCommand, type EventStore, type NewEvent, type Recorded } from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#service-host';
import {
  clusterNodesHandles,
  evolveClusterNodes,
  newClusterNodes,
  skipInClusterNodes,
  type ClusterNodes,
  type ClusterNodesEvent,
} from './cluster-nodes.projection.js';

/** node-service's read model of the cluster's nodes, and the command path for one node. */
@Injectable()
export class ClusterNodesService implements OnModuleInit, OnApplicationShutdown {
  private readonly runner: ProjectionRunner<ClusterNodes, ClusterNodesEvent>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.runner = new ProjectionRunner({
      store,
      name: 'cluster-nodes',
      initialState: newClusterNodes(),
      evolve: evolveClusterNodes,
      skip: skipInClusterNodes,
      handles: clusterNodesHandles,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** Called after each event the projection applied (catch-up included); returns an unsubscribe function. */
  onEvent(listener: (event: Recorded<ClusterNodesEvent>) => void): () => void {
    return this.runner.onEvent((event) => listener(event));
  }

  get state(): ClusterNodes {
    return this.runner.state;
  }

  /** Reads up to the head first, for decisions that must see every earlier change. */
  async current(): Promise<ClusterNodes> {
    await this.runner.readToHead(10_000);
    return this.runner.state;
  }

  /**
   * Decides on the projected node and appends with its revision (decision 0014, mode 2), or with
   * `expectedVersion` when the client named one: a mismatch is "update out of sequence", never
   * retried. A lost race is decided again otherwise.
   */
  async execute(nodeId: string, command: NodeCommand, context: RequestContext, expectedVersion?: number): Promise<{ events: readonly NewEvent[]; position: number }> {
    const result = await decideOnProjection({
      store: this.store,
      stream: Streams.node(nodeId),
      projection: this.runner,
      // "Not found" and "out of sequence" are checked again at the head before they stand (the
      // replica may be behind one that registered the node or applied the version a moment ago).
      view: () => {
        const entry = this.runner.state.nodes.get(nodeId);
        if (!entry) throw new DomainError(SwarmErrors.notFound(`node ${nodeId} not found`));
        if (expectedVersion !== undefined && entry.revision !== expectedVersion) throw new DomainError(SwarmErrors.updateOutOfSequence());
        return entry;
      },
      decide: ({ node }) => decideNode(command, node).map((event) => toNewEvent(event, context)),
      catchUp: () => this.runner.readToHead(10_000),
      maxRetries: 9,
      onConflict: () => (expectedVersion !== undefined ? new DomainError(SwarmErrors.updateOutOfSequence()) : undefined),
    });
    return { events: result.events, position: result.position };
  }

  /** Appends a new node's first event (its stream, named after a new ID, must not exist yet). */
  async register(node: EventData<'NodeRegistered'>, context: RequestContext, eventId?: string): Promise<number> {
    const result = await handleCommand({
      store: this.store,
      stream: Streams.node(node.nodeId),
      types: NodeEventTypes,
      initialState: initialNode,
      evolve: evolveNode,
      decide: (state) => decideNode({ type: 'RegisterNode', node }, state).map((event) => toNewEvent(event, context, eventId)),
      assumeNew: true,
    });
    await this.runner.waitForPosition(result.position);
    return result.position;
  }

  async waitFor(position: number): Promise<void> {
    await this.runner.waitForPosition(position, 10_000);
  }
}
