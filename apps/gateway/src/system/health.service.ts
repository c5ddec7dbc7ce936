import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventStore } from '#eventstore';
import { EVENT_STORE, HealthProbe, Metrics, RPC_CLIENT, RpcClient, type HealthStatus } from '#runtime';
import { ReadModelService } from '../read-model/read-model.service.js';

/**
 * The gateway's health: the bus answers a round trip and the store answers for its head position,
 * probed at most once a second. The head also gives the read model's lag for `/metrics`.
 */
@Injectable()
export class HealthService {
  private readonly logger = new Logger('health');
  private readonly probe: HealthProbe;
  private head: number | undefined;
  private wasHealthy = true;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) rpc: RpcClient,
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
  ) {
    this.probe = new HealthProbe(
      [
        { name: 'bus (NATS)', probe: () => rpc.ping() },
        { name: 'store (JetStream)', probe: () => this.probeStore() },
      ],
      { onResult: (name, up) => Metrics.up.set({ dependency: name.split(' ')[0] ?? name }, up ? 1 : 0) },
    );
  }

  /** The last result while fresh (no await on the hot path), else a new probe. */
  async status(): Promise<HealthStatus> {
    const status = this.probe.fresh() ?? (await this.probe.status());
    if (status.healthy !== this.wasHealthy) {
      this.wasHealthy = status.healthy;
      if (status.healthy) this.logger.log('healthy again');
      else this.logger.warn({ msg: 'unhealthy', failures: status.failures });
    }
    return status;
  }

  /**
   * Sets the read model's position and lag gauges from the head as of now (a scrape is rare; the
   * probe's head may be a second old), or the last known head while the store does not answer.
   */
  async updateProjectionGauges(): Promise<void> {
    if ((await this.status()).healthy) await within(1000, this.probeStore()).catch(() => undefined);
    const position = this.readModel.position;
    Metrics.projectionPosition.set({ projection: 'gateway' }, position);
    if (this.head !== undefined) Metrics.projectionLag.set({ projection: 'gateway' }, Math.max(0, this.head - position));
  }

  private async probeStore(): Promise<void> {
    this.head = await this.store.headPosition();
    Metrics.logHead.set(this.head);
  }
}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
