import path from 'node:path';

import { isKurrentDbUrl, redactUrl } from '#eventstore';

/** Which event store a process uses, from `EVENTSTORE_URL`. */
export type EventStoreSelection =
  /** NATS JetStream (the default): on `NATS_URL`, or on the NATS servers `EVENTSTORE_URL` names. */
  | { readonly kind: 'jetstream'; readonly servers: string[] }
  /** KurrentDB / EventStoreDB: `EVENTSTORE_URL=kurrentdb://...` (or `esdb://...`, `+discover`). */
  | { readonly kind: 'kurrentdb'; readonly connectionString: string };

/** Settings every process reads from its environment; see the README's configuration table. */
export interface RuntimeConfig {
  /** NATS servers, comma-separated in `NATS_URL`. */
  readonly natsServers: string[];
  readonly eventStore: EventStoreSelection;
  /** JetStream stream holding the event log. */
  readonly eventStream: string;
  readonly eventReplicas: number;
  /** File with the 32-byte key-encryption key (hex), created 0600 on first start. */
  readonly kekFile: string;
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const natsServers = splitList(env.NATS_URL ?? 'nats://127.0.0.1:4222');
  return {
    natsServers,
    eventStore: selectEventStore(env.EVENTSTORE_URL, natsServers),
    eventStream: env.EVENT_STREAM ?? 'SWARM_EVENTS',
    eventReplicas: Number(env.EVENT_REPLICAS ?? '1'),
    kekFile: env.SWARM_KEK_FILE ?? path.resolve('data', 'kek'),
  };
}

const NATS_URL = /^(nats|tls|ws|wss):\/\//i;

/**
 * `EVENTSTORE_URL`: unset, empty, `nats` or `jetstream` -> JetStream on `natsServers`; NATS URLs
 * (comma-separated) -> JetStream on those; a KurrentDB URL -> KurrentDB. Anything else throws,
 * so that a typo does not silently fall back to another store.
 */
export function selectEventStore(url: string | undefined, natsServers: string[]): EventStoreSelection {
  const value = url?.trim() ?? '';
  if (value === '' || /^(nats|jetstream)$/i.test(value)) return { kind: 'jetstream', servers: natsServers };
  if (isKurrentDbUrl(value)) return { kind: 'kurrentdb', connectionString: value };
  const servers = splitList(value);
  if (servers.every((s) => NATS_URL.test(s))) return { kind: 'jetstream', servers };
  throw new Error(
    `EVENTSTORE_URL ${JSON.stringify(redactUrl(value))}: expected nats://... (JetStream) or kurrentdb://, esdb://... (KurrentDB)`,
  );
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
