import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#eventstore';
import { loadOrCreateKek } from '#pki';
import { loadRuntimeConfig, natsConnectionOptions } from './config.js';
import { connectEventStore } from './event-store.js';
import { InstrumentedEventStore, countCommandRetries, countSkippedEvents } from './instrumented-event-store.js';
import { MuxClientNats, RPC_CLIENT, RpcClient } from '#rpc';

export const EVENT_STORE = Symbol('EVENT_STORE');

/** The key-encryption key: `SWARM_KEK` (64 hex characters) when set, else the `SWARM_KEK_FILE`. */
function loadKek(): Buffer {
  const fromEnv = process.env.SWARM_KEK;
  if (fromEnv !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv.trim())) throw new Error('SWARM_KEK must be 64 hexadecimal characters (32 bytes)');
    return Buffer.from(fromEnv.trim(), 'hex');
  }
  return loadOrCreateKek(loadRuntimeConfig().kekFile);
}
export const KEK = Symbol('KEK');

/** The event store, the RPC client and the key-encryption key, shared by every module of a process. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      // JetStream by default, KurrentDB when EVENTSTORE_URL says so (config.ts); counted for /metrics.
      useFactory: async (): Promise<EventStore> => {
        countCommandRetries();
        countSkippedEvents();
        return new InstrumentedEventStore(await connectEventStore(loadRuntimeConfig()));
      },
    },
    {
      provide: RPC_CLIENT,
      useFactory: (): RpcClient => {
        const config = loadRuntimeConfig();
        return new RpcClient(new MuxClientNats(natsConnectionOptions(config)));
      },
    },
    { provide: KEK, useFactory: (): Buffer => loadKek() },
  ],
  exports: [EVENT_STORE, RPC_CLIENT, KEK],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.rpc.close();
    await this.store.close();
  }
}
