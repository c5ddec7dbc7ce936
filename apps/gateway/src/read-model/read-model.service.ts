import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainError, SwarmErrors, type NetworkSpaceEvent, type SwarmEvent } from '#contracts';
import { type EventStore, type Projection, ProjectionGroup, ProjectionTimeoutError, readToHead, type Recorded } from '#eventstore';
import { networkSpacesProjection, type NetworkSpaces } from '#network-space';
import { openSecret } from '#pki';
import { EVENT_STORE, KEK, KekHolder } from '#service-host';
import { SwarmReadModel } from './swarm-read-model.js';

/**
 * Feeds the gateway's read model from the log and lets a query wait for a command's position.
 * The same subscription feeds the network spaces the gateway decides creates on
 * (`networkSpaces`, decision 0021), so each event reaches the gateway once.
 */
@Injectable()
export class ReadModelService implements OnModuleInit, OnApplicationShutdown {
  readonly model: SwarmReadModel;
  /** The cluster network spaces, for NetworkSpaceCommands (SHARED_NETWORK_SPACES). */
  readonly networkSpaces: Projection<NetworkSpaces, NetworkSpaceEvent>;
  private readonly group: ProjectionGroup;
  private readonly projection: Projection<SwarmReadModel, SwarmEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) kek: KekHolder,
  ) {
    this.model = new SwarmReadModel((sealed, stream) => openSecret(sealed, kek.current(), stream));
    this.group = new ProjectionGroup({ store, name: 'gateway' });
    this.projection = this.group.add<SwarmReadModel, SwarmEvent>({
      name: 'gateway read model',
      initialState: this.model,
      evolve: (model, event) => {
        model.apply(event);
        return model;
      },
      handles: SwarmReadModel.handles,
      skip: (model, event) => {
        model.passOver(event);
        return model;
      },
    });
    this.networkSpaces = this.group.add(networkSpacesProjection());
  }

  async onModuleInit(): Promise<void> {
    await this.group.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.group.stop();
  }

  /** The last position the model has applied. */
  get position(): number {
    return this.projection.position;
  }

  /** Called after every event the model applied (e.g. to start or stop the swarm port); returns the unsubscribe. */
  onEvent(listener: (event: Recorded<SwarmEvent>) => void): () => void {
    return this.projection.onEvent((event) => listener(event));
  }

  /**
   * What `lookup` finds in the model, or else what it finds once the model has read up to the head
   * of the log: a change made a moment ago through another gateway replica may not have reached
   * this one yet, so "not found" is only answered at the head.
   */
  async findAtHead<T>(lookup: () => T | undefined): Promise<T | undefined> {
    return lookup() ?? ((await this.readToHead()) ? lookup() : undefined);
  }

  /** Returns whether the model was behind (and has caught up). */
  readToHead(): Promise<boolean> {
    return this.behindAsUnavailable(readToHead(this.store, this.projection, 5000));
  }

  /**
   * Read your writes: resolves once the model includes the event at `position`. A model that lags
   * (its subscription moving to another NATS node) answers Docker's 503: the change is made, the
   * read may be retried.
   */
  async waitFor(position: number): Promise<void> {
    if (this.projection.position >= position) return;
    await this.behindAsUnavailable(this.projection.waitForPosition(position, 5000));
  }

  private async behindAsUnavailable<T>(waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      if (error instanceof ProjectionTimeoutError) throw new DomainError(SwarmErrors.readModelBehind(error.message));
      throw error;
    }
  }
}
