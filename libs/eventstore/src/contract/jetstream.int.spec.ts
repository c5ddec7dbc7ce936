import { startNatsServer } from '#testing';

import { runEventStoreContract } from './suite.js';
import { CATEGORY_TWO } from './subscribe.js';
import { JetStreamEventStore } from '../jetstream/index.js';

for (const layout of ['flat', 'branched'] as const) {
  // Branched: the category of most streams the contract appends to (`s-…`) and one of the
  // category tests' get subject branches of their own (`es.s.s-…`), as per-node streams do.
  const branchCategories = layout === 'branched' ? ['s', CATEGORY_TWO] : [];
  runEventStoreContract(`JetStream (nats-server, ${layout} subjects)`, async () => {
    const server = await startNatsServer({ jetstream: true });
    try {
      const store = await JetStreamEventStore.connect({ servers: server.url, name: 'contract', branchCategories });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await server.stop();
        },
      };
    } catch (err) {
      await server.stop();
      throw err;
    }
  });
}
