import type { EventStore, RecordedEvent, SubscribeAllOptions, Subscription } from '#eventstore';

/**
 * The real store, seen by a replica whose subscription lags: every live event reaches it `lagMs`
 * late (what a replica sees while its consumer moves to another NATS node). Reads and appends are
 * the store's own.
 */
export function laggingSubscriptions(store: EventStore, lagMs: number): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'subscribeAll') return Reflect.get(target, property, receiver) as unknown;
      return (options: SubscribeAllOptions, handler: (event: RecordedEvent) => Promise<void> | void): Subscription =>
        target.subscribeAll(options, async (event) => {
          await new Promise((resolve) => setTimeout(resolve, lagMs));
          await handler(event);
        });
    },
  });
}

