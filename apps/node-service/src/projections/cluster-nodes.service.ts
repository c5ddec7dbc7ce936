import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainError, Streams, SwarmErrors, type EventData, type NodeEvent, type RequestContext } from '#contracts';
import { decideNode, type NodeCommand } from '#domain';
import { ProjectionRunner, WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#runtime';
import { clusterNodesHandles, evolveClusterNodes, newClusterNodes, skipInClusterNodes, type ClusterNodes } from './cluster-nodes.projection.js';

/** node-service's read model of the cluster's nodes, and the command path for one node. */
@Injectable()
export class ClusterNodesService implements OnModuleInit, OnApplicationShutdown {
  private readonly runner: ProjectionRunner<ClusterNodes>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.runner = new ProjectionRunner<ClusterNodes>({
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
  onEvent(listener: (event: RecordedEvent) => void): () => void {
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
   * Decides on the projected node and appends with its revision (or `expectedVersion` when the
   * client named one: a mismatch is "update out of sequence"); retries on a lost race otherwise.
   */
  async execute(nodeId: string, command: NodeCommand, context: RequestContext, expectedVersion?: number): Promise<{ events: NodeEvent[]; position: number }> {
    for (let attempt = 1; ; attempt++) {
      let entry = this.runner.state.nodes.get(nodeId);
      // Before answering "not found" or "out of sequence", make sure this replica is not just behind
      // (another replica registered the node or applied the version the client read a moment ago).
      if (!entry || (expectedVersion !== undefined && entry.revision !== expectedVersion)) entry = (await this.current()).nodes.get(nodeId);
      if (!entry) throw new DomainError(SwarmErrors.notFound(`node ${nodeId} not found`));
      if (expectedVersion !== undefined && entry.revision !== expectedVersion) throw new DomainError(SwarmErrors.updateOutOfSequence());
      const events = decideNode(command, entry.node);
      // "Already so" on a view that may be behind the head is checked at the head once.
      if (events.length === 0) {
        if (attempt === 1 && (await this.runner.readToHead(10_000))) continue;
        return { events, position: this.runner.position };
      }
      try {
        const result = await this.store.append(Streams.node(nodeId), events.map((e) => toNewEvent(e, context)), entry.revision);
        await this.runner.waitForPosition(result.position);
        return { events, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (expectedVersion !== undefined || attempt >= 10) throw new DomainError(SwarmErrors.updateOutOfSequence());
        await this.runner.waitForPosition(typeof error.actual === 'number' ? error.actual : await this.store.headPosition(), 10_000);
      }
    }
  }

  /** Appends a new node's first event (its stream must not exist yet). */
  async register(node: EventData<'NodeRegistered'>, context: RequestContext): Promise<number> {
    const events = decideNode({ type: 'RegisterNode', node }, { exists: false });
    const result = await this.store.append(Streams.node(node.nodeId), events.map((e) => toNewEvent(e, context)), 'no_stream');
    await this.runner.waitForPosition(result.position);
    return result.position;
  }

  async waitFor(position: number): Promise<void> {
    await this.runner.waitForPosition(position, 10_000);
  }
}
