import path from 'node:path';

/** Settings every process reads from its environment; see the README's configuration table. */
export interface RuntimeConfig {
  /** NATS servers, comma-separated in `NATS_URL`. */
  readonly natsServers: string[];
  /** JetStream stream holding the event log. */
  readonly eventStream: string;
  readonly eventReplicas: number;
  /** File with the 32-byte key-encryption key (hex), created 0600 on first start. */
  readonly kekFile: string;
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return {
    natsServers: (env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim()).filter(Boolean),
    eventStream: env.EVENT_STREAM ?? 'SWARM_EVENTS',
    eventReplicas: Number(env.EVENT_REPLICAS ?? '1'),
    kekFile: env.SWARM_KEK_FILE ?? path.resolve('data', 'kek'),
  };
}
