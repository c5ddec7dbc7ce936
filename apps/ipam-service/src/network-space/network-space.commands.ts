import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategories, Streams, type NetworkSpaceEvent, type RequestContext } from '#contracts';
import { decideNetworkSpace, newNetworkSpace, type NetworkSpaceCommand } from '#domain';
import { ProjectionRunner, decideOnProjection, type EventStore, type NewEvent } from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#service-host';
import { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type FoldedSpace, type NetworkSpaces } from '../projections/network-spaces.projection.js';

const MAX_ATTEMPTS = 20;

/** A cluster with no ipam stream yet: decided on an empty space, appended with `no_stream`. */
const EMPTY: FoldedSpace = { get space() { return newNetworkSpace(); }, revision: 'no_stream' };

/**
 * Runs network-space commands against the in-memory projection instead of re-reading the stream
 * (`decideOnProjection`). Commands for one cluster go one at a time in this process, so a replica
 * never races itself.
 */
@Injectable()
export class NetworkSpaceCommands implements OnModuleInit, OnApplicationShutdown {
  private readonly projection: ProjectionRunner<NetworkSpaces, NetworkSpaceEvent>;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.projection = new ProjectionRunner({
      store,
      name: 'network-spaces',
      initialState: new Map<string, FoldedSpace>(),
      evolve: evolveNetworkSpaces,
      skip: skipInNetworkSpaces,
      handles: networkSpaceEventTypes,
      // Its events are all in ipam streams: the node events of joins (most of the log) never reach it.
      categories: [StreamCategories.ipam],
    });
  }

  async onModuleInit(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }

  /** Reads up to the head first: for decisions on networks another replica may have created a moment ago. */
  async spaceAtHead(clusterId: string) {
    await this.catchUpToHead(clusterId);
    return this.spaceOf(clusterId);
  }

  spaceOf(clusterId: string) {
    return this.projection.state.get(clusterId)?.space ?? newNetworkSpace();
  }

  /** Decides and appends one command; returns the events appended (none when already applied) and the position. */
  execute(clusterId: string, command: NetworkSpaceCommand, context: RequestContext, eventId?: string): Promise<{ events: readonly NewEvent[]; position: number }> {
    const previous = this.queues.get(clusterId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.attempt(clusterId, command, context, eventId));
    this.queues.set(clusterId, run);
    void run.finally(() => {
      if (this.queues.get(clusterId) === run) this.queues.delete(clusterId);
    }).catch(() => undefined);
    return run;
  }

  /**
   * Decides on the projection at the revision it reflects (decision 0014, mode 2): no read of the
   * stream per create. A refusal or "nothing to do" on a view that may lag is checked again at the
   * head once; a conflict (another replica appended first) catches up and decides again.
   */
  private async attempt(clusterId: string, command: NetworkSpaceCommand, context: RequestContext, eventId?: string) {
    const result = await decideOnProjection({
      store: this.store,
      stream: Streams.ipam(clusterId),
      projection: this.projection,
      view: () => this.projection.state.get(clusterId) ?? EMPTY,
      decide: ({ space }) => decideNetworkSpace(command, space).map((event) => toNewEvent(event, context, eventId)),
      catchUp: () => this.catchUpToHead(clusterId),
      maxRetries: MAX_ATTEMPTS - 1,
      timeoutMs: 5_000,
    });
    return { events: result.events, position: result.position };
  }

  /** Returns whether the projection was behind the cluster's ipam stream (and has now caught up). */
  private catchUpToHead(clusterId: string): Promise<boolean> {
    return this.projection.readStreamsToHead([Streams.ipam(clusterId)], 10_000);
  }
}
