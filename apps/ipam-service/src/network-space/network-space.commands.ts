import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainError, StreamCategories, Streams, type NetworkSpaceEvent, type RequestContext } from '#contracts';
import { decideNetworkSpace, newNetworkSpace, type NetworkSpaceCommand } from '#domain';
import { ProjectionRunner, WrongExpectedRevisionError, type EventStore } from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#runtime';
import { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type NetworkSpaces } from '../projections/network-spaces.projection.js';

const MAX_ATTEMPTS = 20;

/**
 * Runs network-space commands against the in-memory projection instead of re-reading the stream:
 * decide on the folded state, append with the revision it reflects; when another replica got there
 * first, catch up to the winner's position and decide again. Commands for one cluster go one at a
 * time in this process, so a replica never races itself.
 */
@Injectable()
export class NetworkSpaceCommands implements OnModuleInit, OnApplicationShutdown {
  private readonly projection: ProjectionRunner<NetworkSpaces>;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.projection = new ProjectionRunner<NetworkSpaces>({
      store,
      name: 'network-spaces',
      initialState: new Map(),
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
  execute(clusterId: string, command: NetworkSpaceCommand, context: RequestContext, eventId?: string): Promise<{ events: NetworkSpaceEvent[]; position: number }> {
    const previous = this.queues.get(clusterId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.attempt(clusterId, command, context, eventId));
    this.queues.set(clusterId, run);
    void run.finally(() => {
      if (this.queues.get(clusterId) === run) this.queues.delete(clusterId);
    }).catch(() => undefined);
    return run;
  }

  private async attempt(clusterId: string, command: NetworkSpaceCommand, context: RequestContext, eventId?: string) {
    const stream = Streams.ipam(clusterId);
    for (let attempt = 1; ; attempt++) {
      const folded = this.projection.state.get(clusterId);
      let events: NetworkSpaceEvent[];
      try {
        events = decideNetworkSpace(command, folded?.space ?? newNetworkSpace());
      } catch (error) {
        // A refusal on a stale view (a name freed by another replica) must not stand: check at the head.
        if (!(error instanceof DomainError) || attempt > 1 || !(await this.catchUpToHead(clusterId))) throw error;
        continue;
      }
      // Nothing to do may also be a stale view (a network created through another replica a moment
      // ago): only the head can say "already applied" or "not found".
      if (events.length === 0) {
        if (attempt === 1 && (await this.catchUpToHead(clusterId))) continue;
        return { events, position: this.projection.position };
      }
      try {
        const result = await this.store.append(stream, events.map((e) => toNewEvent(e, context, eventId)), folded?.revision ?? 'no_stream');
        await this.projection.waitForPosition(result.position);
        return { events, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        await this.catchUpTo(typeof error.actual === 'number' ? error.actual : await this.store.lastPositionOf(stream));
      }
    }
  }

  /** Returns whether the projection was behind the cluster's ipam stream (and has now caught up). */
  private catchUpToHead(clusterId: string): Promise<boolean> {
    return this.projection.readStreamsToHead([Streams.ipam(clusterId)], 10_000);
  }

  private async catchUpTo(position: number): Promise<void> {
    await this.projection.waitForPosition(position, 10_000);
  }
}
