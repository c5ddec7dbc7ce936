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
        replicas: config.eventReplicas,
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
