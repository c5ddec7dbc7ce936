import { startNatsServer } from '#testing';

import { runEventStoreContract } from './contract.js';
import { JetStreamEventStore } from './jetstream/index.js';

runEventStoreContract('JetStream (nats-server)', async () => {
  const server = await startNatsServer({ jetstream: true });
  try {
    const store = await JetStreamEventStore.connect({ servers: server.url, name: 'contract' });
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
