import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, KEK_REPLACED_BROADCAST_SUBJECT, UNLOCK_BROADCAST_SUBJECT } from '#contracts';
import type { EventStore } from '#eventstore';
import { loadOrCreateKek } from '#pki';
import { KekHolder } from './kek-holder.js';
import { loadRuntimeConfig, natsConnectionOptions } from './config.js';
import { connectEventStore } from './event-store.js';
import { countCommandRetries, countSkippedEvents, InstrumentedEventStore } from './instrumented-event-store.js';
import { MuxClientNats, RPC_CLIENT, RpcClient } from '#rpc';

export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * The key-encryption key: `SWARM_KEK` (64 hex characters) when set, else the `SWARM_KEK_FILE`,
 * which autolock may have sealed (then the holder starts locked).
 */
function loadKek(): KekHolder {
  const fromEnv = process.env.SWARM_KEK;
  if (fromEnv !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv.trim())) throw new Error('SWARM_KEK must be 64 hexadecimal characters (32 bytes)');
    return KekHolder.fixed(Buffer.from(fromEnv.trim(), 'hex'));
  }
  return KekHolder.fromFile(loadRuntimeConfig().kekFile);
}
/** Injects the process's KekHolder. */
export const KEK = Symbol('KEK');

/** Opens this process's sealed KEK when the gateway passes on an unlock key (autolock). */
@Injectable()
export class UnlockListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('kek');
  private readonly unsubscribe: (() => void)[] = [];

  constructor(@Inject(KEK) private readonly kek: KekHolder, @Inject(RPC_CLIENT) private readonly rpc: RpcClient) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe.push(await this.rpc.subscribeAll(UNLOCK_BROADCAST_SUBJECT, (data) => this.unlock(data)));
    this.unsubscribe.push(await this.rpc.subscribeAll(KEK_REPLACED_BROADCAST_SUBJECT, () => this.kek.reloadIfLocked()));
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  private unlock(data: unknown): void {
    const unlockKey = (data as { unlockKey?: unknown } | null)?.unlockKey;
    if (typeof unlockKey !== 'string' || !this.kek.locked) return;
    try {
      this.kek.unlock(unlockKey);
    } catch (error) {
      // The key itself is never logged.
      this.logger.warn(`an unlock key was passed on and refused: ${error instanceof DomainError ? error.message : String(error)}`);
    }
  }
}

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
    { provide: KEK, useFactory: (): KekHolder => loadKek() },
    UnlockListener,
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
