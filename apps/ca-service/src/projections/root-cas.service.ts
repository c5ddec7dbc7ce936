import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CaEventTypes, DomainError, StreamCategories, Streams, SwarmErrors, type CaEvent } from '#contracts';
import { evolveRootCa, initialRootCa, type RootCa } from '#domain';
import { ProjectionRunner, loadStream, type EventStore, type Recorded } from '#eventstore';
import { openSecret } from '#pki';
import { EVENT_STORE, KEK, KekHolder } from '#service-host';
import { ROOT_CA } from '../root-ca-fold.js';

type RootCas = Map<string, RootCa>;

/**
 * Every cluster's root CA as the `ca` streams tell it (a handful of events), so that signing reads
 * no stream: the root to sign with changes when a rotation starts or ends. Unsealed keys are kept
 * by key fingerprint (a rotation brings a new one).
 */
@Injectable()
export class RootCasService implements OnModuleInit, OnApplicationShutdown {
  private readonly runner: ProjectionRunner<RootCas, CaEvent>;
  private readonly keys = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {
    this.runner = new ProjectionRunner<RootCas, CaEvent>({
      store,
      name: 'root-cas',
      initialState: new Map(),
      evolve: (state, event: Recorded<CaEvent>) => state.set(event.data.clusterId, evolveRootCa(state.get(event.data.clusterId) ?? initialRootCa, event)),
      handles: CaEventTypes,
      categories: [StreamCategories.ca],
    });
  }

  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** The cluster's root CA; read from its stream when the projection has not seen it yet (a root made a moment ago). */
  async rootOf(clusterId: string): Promise<RootCa & { exists: true }> {
    const known = this.runner.state.get(clusterId);
    if (known?.exists) return known;
    const { state } = await loadStream(this.store, Streams.ca(clusterId), ROOT_CA);
    if (!state.exists) throw new DomainError(SwarmErrors.system(`no root CA for cluster ${clusterId}`));
    return state;
  }

  /** A root's private key, unsealed once. */
  keyOf(clusterId: string, root: { readonly sealedKey: Parameters<typeof openSecret>[0]; readonly keyFingerprint: string }): string {
    const known = this.keys.get(root.keyFingerprint);
    if (known) return known;
    const key = openSecret(root.sealedKey, this.kek.current(), Streams.ca(clusterId));
    this.keys.set(root.keyFingerprint, key);
    return key;
  }
}
