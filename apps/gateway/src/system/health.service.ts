import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { QueueGroups, livenessSubject, subjectsOf, type LivenessReply } from '#contracts';
import type { PingHealth } from '#engine-http';
import type { EventStore } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import { HealthProbe, Metrics, type HealthStatus } from '#observability';
import { NoRunningReplicaError, RPC_CLIENT, RpcClient } from '#rpc';
import { ReadModelService } from '../read-model/read-model.service.js';

/** The services the gateway cannot serve without: each must have a replica answering its liveness subject. */
const REQUIRED_SERVICES: readonly string[] = Object.values(QueueGroups);

/** How often the background probe runs; a result is served for up to twice that (see HealthProbe). */
const PROBE_EVERY_MS = 1000;

/**
 * The gateway's health: the bus answers a round trip, the store answers for its head position, and
 * every service has a replica answering its liveness subject. Probed once a second by a background
 * timer, never by a request: `/_ping` reads the last result. The head also gives the read model's
 * lag for `/metrics`.
 */
@Injectable()
export class HealthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('health');
  private readonly probe: HealthProbe;
  private head: number | undefined;
  private wasHealthy = true;
  /** Services whose last liveness answer said their KEK is sealed (autolock, not unlocked yet). */
  private readonly lockedServices = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) rpc: RpcClient,
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
  ) {
    this.probe = new HealthProbe(
      [
        { name: 'bus (NATS)', probe: () => rpc.ping() },
        { name: 'store (JetStream)', probe: () => this.probeStore() },
        ...REQUIRED_SERVICES.map((service) => ({ name: service, probe: () => this.probeService(rpc, service) })),
      ],
      { ttlMs: 2 * PROBE_EVERY_MS, onResult: (name, up) => Metrics.up.set({ dependency: name.split(' ')[0] ?? name }, up ? 1 : 0) },
    );
  }

  onApplicationBootstrap(): void {
    const refresh = (): void => void this.probe.refresh().then((status) => this.noteChange(status));
    refresh();
    this.timer = setInterval(refresh, PROBE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * What `/_ping` answers: with the bus or the store down, those failures (500: every service
   * check fails with them); with only services down, theirs (503, see PingHealth).
   */
  async pingHealth(): Promise<PingHealth> {
    const status = await this.status();
    if (status.healthy) return status;
    if (!dependencyDown(status)) return { ...status, unavailable: true };
    return { ...status, failures: status.failures.filter((_, i) => !REQUIRED_SERVICES.includes(status.down[i] ?? '')) };
  }

  /** The services whose last liveness answer said they are locked (autolock). */
  locked(): readonly string[] {
    return [...this.lockedServices];
  }

  /** Probes every service now (after an unlock was passed on), whatever the last result's age. */
  async probeNow(): Promise<void> {
    this.noteChange(await this.probe.refresh());
  }

  /** The last result while fresh (no await on the hot path), else a new probe. */
  async status(): Promise<HealthStatus> {
    return this.noteChange(this.probe.fresh() ?? (await this.probe.status()));
  }

  private noteChange(status: HealthStatus): HealthStatus {
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
    if (!dependencyDown(await this.status())) await within(1000, this.probeStore()).catch(() => undefined);
    const position = this.readModel.position;
    Metrics.projectionPosition.set({ projection: 'gateway' }, position);
    if (this.head !== undefined) Metrics.projectionLag.set({ projection: 'gateway' }, Math.max(0, this.head - position));
  }

  /**
   * The service's liveness; when no replica runs, the requests it had are failed at once (503, or
   * sent again if idempotent) rather than after the RPC timeout: none of them will be answered.
   */
  private async probeService(rpc: RpcClient, service: string): Promise<void> {
    const sentAt = performance.now();
    try {
      const reply = (await rpc.probe(livenessSubject(service), 1000)) as Partial<LivenessReply> | undefined;
      if (reply?.locked === true) this.lockedServices.add(service);
      else this.lockedServices.delete(service);
    } catch (error) {
      if (error instanceof NoRunningReplicaError) {
        const abandoned = rpc.abandonInFlight(subjectsOf(service), sentAt, `${service} has no running replica`);
        if (abandoned > 0) this.logger.warn({ msg: `${service} has no running replica: ${abandoned} request(s) in flight to it answered 503` });
      }
      throw error;
    }
  }

  private async probeStore(): Promise<void> {
    this.head = await this.store.headPosition();
    Metrics.logHead.set(this.head);
  }
}

/** The bus or the store failed (not only a service). */
function dependencyDown(status: HealthStatus): boolean {
  return status.down.some((name) => !REQUIRED_SERVICES.includes(name));
}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
