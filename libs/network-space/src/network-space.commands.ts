import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { StreamCategories, Streams, type CreateNetworkReply, type CreateNetworkRequest, type NetworkSpaceEvent, type RequestContext } from '#contracts';
import { decideNetworkCreatesInTurn, decideNetworkSpace, newNetworkSpace, swarmIdFromBytes, type CreateNetworkInput, type NetworkSpaceCommand } from '#domain';
import {
  ProjectionRunner,
  decideBatchOnProjection,
  readStreamsToHead,
  decideOnProjection,
  nowRfc3339,
  type EventStore,
  type InTurnDecision,
  type NewEvent,
  type Projection,
  type ProjectionDefinition,
} from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#service-host';
import { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type FoldedSpace, type NetworkSpaces } from './network-spaces.projection.js';

const MAX_ATTEMPTS = 20;
/** How long a decision waits for the projection to apply what this replica appended. */
const WAIT_MS = 5_000;

/** A cluster with no ipam stream yet: decided on an empty space, appended with `no_stream`. */
const EMPTY: FoldedSpace = { get space() { return newNetworkSpace(); }, revision: 'no_stream' };

/** A create waiting for the next batch of its cluster. */
interface QueuedCreate {
  readonly network: CreateNetworkInput;
  readonly context: RequestContext;
  readonly resolve: (result: CommandOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** One cluster's turns: every command and batch runs after the one before it. */
interface Lane {
  tail: Promise<unknown>;
  /** Creates that arrived since the last batch was taken; a turn for them is queued. */
  creates: QueuedCreate[];
  /** Position of this lane's last batch: the view must include it before the next decision. */
  appended: number;
}

type CommandOutcome = { events: readonly NewEvent[]; position: number };

/**
 * Runs network-space commands against the in-memory projection instead of re-reading the stream
 * (`decideOnProjection`). Commands for one cluster take turns in this process, so a replica never
 * races itself. Creates are group-committed (decision 0016): the ones that arrive while a turn is
 * in flight are decided together in the next turn and appended in one call.
 */
/**
 * The network spaces as a projection definition, for a process that feeds them from a
 * subscription it already has (the gateway's ProjectionGroup) instead of one of their own.
 */
export function networkSpacesProjection(): ProjectionDefinition<NetworkSpaces, NetworkSpaceEvent> {
  return { name: 'network-spaces', initialState: new Map<string, FoldedSpace>(), evolve: evolveNetworkSpaces, skip: skipInNetworkSpaces, handles: networkSpaceEventTypes };
}

/** The token of a network-space projection that another provider feeds (see the constructor). */
export const SHARED_NETWORK_SPACES = Symbol('SHARED_NETWORK_SPACES');

@Injectable()
export class NetworkSpaceCommands implements OnModuleInit, OnApplicationShutdown {
  private readonly projection: Projection<NetworkSpaces, NetworkSpaceEvent>;
  /** Its own subscription, when no shared projection was given. */
  private readonly runner: ProjectionRunner<NetworkSpaces, NetworkSpaceEvent> | undefined;
  private readonly lanes = new Map<string, Lane>();

  /**
   * With `shared`, decides on that projection, which its owner feeds, starts and stops (the
   * gateway: one subscription for its read model and the network spaces, so a create is delivered
   * to it once). Without, subscribes to the ipam streams itself (ipam-service).
   */
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(SHARED_NETWORK_SPACES) shared?: Projection<NetworkSpaces, NetworkSpaceEvent>,
  ) {
    if (shared) {
      this.projection = shared;
      return;
    }
    // Its events are all in ipam streams: the node events of joins (most of the log) never reach it.
    this.runner = new ProjectionRunner({ store, ...networkSpacesProjection(), categories: [StreamCategories.ipam] });
    this.projection = this.runner;
  }

  async onModuleInit(): Promise<void> {
    await this.runner?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  /** Reads up to the head first: for decisions on networks another replica may have created a moment ago. */
  async spaceAtHead(clusterId: string) {
    await this.catchUpToHead(clusterId);
    return this.spaceOf(clusterId);
  }

  spaceOf(clusterId: string) {
    return this.projection.state.get(clusterId)?.space ?? newNetworkSpace();
  }

  /**
   * A network create, run by the gateway in its own process (decision 0021): one event decides the
   * ID, the name, the subnet (lowest free) and the VXLAN ID.
   */
  async create(request: CreateNetworkRequest): Promise<CreateNetworkReply> {
    const { context, clusterId, ...wanted } = request;
    const networkId = swarmIdFromBytes(randomBytes(16));
    const result = await this.execute(clusterId, { type: 'CreateNetwork', network: { ...wanted, networkId, createdAt: nowRfc3339() } }, context);
    return { networkId, position: result.position };
  }

  /** Decides and appends one command; returns the events appended (none when already applied) and the position. */
  execute(clusterId: string, command: NetworkSpaceCommand, context: RequestContext, eventId?: string): Promise<CommandOutcome> {
    const lane = this.laneOf(clusterId);
    if (command.type === 'CreateNetwork' && eventId === undefined) {
      return new Promise<CommandOutcome>((resolve, reject) => {
        // The first create since the last batch queues a turn; later ones join it until it starts.
        if (lane.creates.length === 0) this.turn(lane, () => this.createBatch(clusterId, lane));
        lane.creates.push({ network: command.network, context, resolve, reject });
      });
    }
    return this.turn(lane, async () => {
      await this.projection.waitForPosition(lane.appended, WAIT_MS);
      return this.attempt(clusterId, command, context, eventId);
    });
  }

  private laneOf(clusterId: string): Lane {
    let lane = this.lanes.get(clusterId);
    if (!lane) this.lanes.set(clusterId, (lane = { tail: Promise.resolve(), creates: [], appended: 0 }));
    return lane;
  }

  private turn<T>(lane: Lane, run: () => Promise<T>): Promise<T> {
    // Lanes are kept (one per cluster ever seen here): `appended` must outlive the turn.
    const turn = lane.tail.catch(() => undefined).then(run);
    lane.tail = turn;
    return turn;
  }

  /**
   * Every create queued since the last batch, decided in turn on the view and appended together;
   * each answered once its event is acknowledged by the store (not after the projection applied
   * it: the next turn waits for that). A refusal is decided again alone, at the head.
   */
  private async createBatch(clusterId: string, lane: Lane): Promise<void> {
    const batch = lane.creates;
    lane.creates = [];
    try {
      await this.projection.waitForPosition(lane.appended, WAIT_MS);
      const outcomes = await decideBatchOnProjection(
        {
          store: this.store,
          stream: Streams.ipam(clusterId),
          view: () => this.projection.state.get(clusterId) ?? EMPTY,
          decideInTurn: ({ space }, queued: readonly QueuedCreate[]) =>
            decideNetworkCreatesInTurn(queued.map((q) => q.network), space).map((d, k): InTurnDecision =>
              d.event ? { event: toNewEvent(d.event, queued[k]!.context) } : { refusal: d.refusal },
            ),
          catchUp: () => this.catchUpToHead(clusterId),
          maxRetries: MAX_ATTEMPTS - 1,
        },
        batch,
      );
      for (const outcome of outcomes) if (outcome.kind === 'stored') lane.appended = Math.max(lane.appended, outcome.position);
      for (const [k, outcome] of outcomes.entries()) {
        const queued = batch[k]!;
        if (outcome.kind === 'stored') queued.resolve({ events: [outcome.event], position: outcome.position });
        else if (outcome.kind === 'failed') queued.reject(outcome.error);
        else {
          await this.projection.waitForPosition(lane.appended, WAIT_MS);
          await this.attempt(clusterId, { type: 'CreateNetwork', network: queued.network }, queued.context).then(queued.resolve, queued.reject);
        }
      }
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
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
      timeoutMs: WAIT_MS,
    });
    return { events: result.events, position: result.position };
  }

  /** Returns whether the projection was behind the cluster's ipam stream (and has now caught up). */
  private catchUpToHead(clusterId: string): Promise<boolean> {
    return readStreamsToHead(this.store, this.projection, [Streams.ipam(clusterId)], 10_000);
  }
}
