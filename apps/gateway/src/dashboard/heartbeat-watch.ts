import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Subjects } from '#contracts';
import { loadRuntimeConfig, natsConnectionOptions } from '#service-host';

/** How long heartbeats are gathered before the pages are told (one message, not one per node). */
const BATCH_MS = 1000;

/**
 * When each node last heartbeated. Heartbeats are not in the log (only the transitions to down and
 * back are): the swarm port publishes each on `nodes.heartbeat` for node-service, and this watch
 * hears them too, from every gateway, without a queue group and without ever answering or writing.
 */
@Injectable()
export class HeartbeatWatch implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Dashboard');
  /** Node ID -> time of its last heartbeat (RFC 3339). */
  readonly lastBeats = new Map<string, string>();
  private readonly pending = new Map<string, string>();
  private readonly listeners = new Set<(beats: Record<string, string>) => void>();
  private timer: NodeJS.Timeout | undefined;
  private nc: NatsConnection | undefined;

  async onModuleInit(): Promise<void> {
    if (process.env.DASHBOARD_ADDR?.trim() === 'off') return;
    try {
      this.nc = await connect({ ...natsConnectionOptions(loadRuntimeConfig()), name: 'dashboard-heartbeats' });
    } catch (error) {
      this.logger.warn(`dashboard: no heartbeat times (NATS: ${(error as Error).message})`);
      return;
    }
    this.nc.subscribe(Subjects.nodesHeartbeat, {
      callback: (error, message) => {
        if (!error) this.heard(message.string());
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.nc?.close().catch(() => undefined);
  }

  /** Called with the heartbeats of the last second, at most once a second and only when there were some. */
  onBeats(listener: (beats: Record<string, string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A published heartbeat: NestJS's record `{ pattern, data: NodeHeartbeat }`. */
  private heard(payload: string): void {
    let beat: { nodeId?: unknown; at?: unknown } | undefined;
    try {
      const record = JSON.parse(payload) as { data?: { nodeId?: unknown; at?: unknown } };
      beat = record.data;
    } catch {
      return;
    }
    if (typeof beat?.nodeId !== 'string' || typeof beat.at !== 'number') return;
    const at = new Date(beat.at).toISOString();
    this.lastBeats.set(beat.nodeId, at);
    this.pending.set(beat.nodeId, at);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const beats = Object.fromEntries(this.pending);
    this.pending.clear();
    for (const listener of this.listeners) listener(beats);
  }
}
