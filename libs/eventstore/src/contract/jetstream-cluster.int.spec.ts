import { startNatsCluster } from '#testing';

import { runEventStoreContract } from './suite.js';
import { JetStreamEventStore } from '../jetstream/index.js';

// The same contract on a three-node cluster, the stream replicated three times.
runEventStoreContract('JetStream (3-node nats-server cluster, replicas 3)', async () => {
  const cluster = await startNatsCluster({ size: 3 });
  try {
    const store = await JetStreamEventStore.connect({ servers: cluster.servers, name: 'contract-cluster', replicas: 3 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
});
