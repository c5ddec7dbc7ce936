import { BRANCHED_CATEGORIES } from '#contracts';
import { JetStreamEventStore, KurrentDbEventStore, type EventStore } from '#eventstore';

import type { RuntimeConfig } from './config.js';

/** Connects to the event store the configuration selects (`EVENTSTORE_URL`). */
export async function connectEventStore(config: RuntimeConfig, name?: string): Promise<EventStore> {
  const selection = config.eventStore;
  switch (selection.kind) {
    case 'jetstream':
      return JetStreamEventStore.connect({
        servers: selection.servers,
        streamName: config.eventStream,
        // Unset: a new stream gets 1 and an existing one keeps its own (a tool never shrinks a cluster's R3).
        ...(config.eventReplicas === undefined ? {} : { replicas: config.eventReplicas }),
        storage: config.eventStorage,
        // For a new log: ipam-service and token-service subscribe without the node events of joins,
        // token-service without the network events.
        branchCategories: BRANCHED_CATEGORIES,
        ...(name === undefined ? {} : { name }),
      });
    case 'kurrentdb':
      return KurrentDbEventStore.connect({ connectionString: selection.connectionString });
    default: {
      const unknown: never = selection;
      throw new Error(`unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}
