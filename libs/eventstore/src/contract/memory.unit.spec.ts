import { runEventStoreContract } from './suite.js';
import { InMemoryEventStore } from '../memory/memory-event-store.js';

// The same contract as JetStream and KurrentDB: what handler specs rely on holds on the real stores.
runEventStoreContract('in memory', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
