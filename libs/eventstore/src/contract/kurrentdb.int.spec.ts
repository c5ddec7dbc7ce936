/**
 * The shared contract suite against a KurrentDB / EventStoreDB server named by `KURRENTDB_URL`
 * (e.g. `kurrentdb://127.0.0.1:2113?tls=false`). The suite only writes streams of its own, so a
 * server in use by something else is fine. Without `KURRENTDB_URL` every contract test is
 * reported as skipped, by name.
 */
import { runEventStoreContract } from './suite.js';
import { KurrentDbEventStore } from '../kurrentdb/index.js';

const url = process.env.KURRENTDB_URL?.trim();

runEventStoreContract(
  'KurrentDB',
  async () => {
    const store = await KurrentDbEventStore.connect({ connectionString: url ?? '' });
    return { store, cleanup: () => store.close() };
  },
  url ? {} : { skip: 'KURRENTDB_URL not set' },
);
