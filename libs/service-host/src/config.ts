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
  /** NATS servers, comma-separated in `NATS_URL` (every node of a cluster, so a client can fail over). */
  readonly natsServers: string[];
  readonly eventStore: EventStoreSelection;
  /** JetStream stream holding the event log. */
  readonly eventStream: string;
  /**
   * Replica count of every JetStream stream and KV bucket the services create (`EVENTSTORE_REPLICAS`,
   * 1 or 3 in practice; `EVENT_REPLICAS` is the older name). Unset: new ones get 1 and existing
   * ones keep theirs, so that a process started without it never shrinks a cluster's streams.
   */
  readonly eventReplicas: number | undefined;
  /** Storage of those streams and buckets (`EVENTSTORE_STORAGE`): `file` (default) or `memory`. */
  readonly eventStorage: 'file' | 'memory';
  /** File with the 32-byte key-encryption key (hex), created 0600 on first start. */
  readonly kekFile: string;
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const natsServers = splitList(env.NATS_URL ?? 'nats://127.0.0.1:4222');
  return {
    natsServers,
    eventStore: selectEventStore(env.EVENTSTORE_URL, natsServers),
    eventStream: env.EVENT_STREAM ?? 'SWARM_EVENTS',
    eventReplicas: parseReplicas(env.EVENTSTORE_REPLICAS ?? env.EVENT_REPLICAS),
    eventStorage: parseStorage(env.EVENTSTORE_STORAGE ?? 'file'),
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

function parseReplicas(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const replicas = Number(text);
  // JetStream allows 1 to 5 replicas.
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new Error(`EVENTSTORE_REPLICAS must be an integer from 1 to 5, got ${JSON.stringify(text)}`);
  }
  return replicas;
}

function parseStorage(text: string): 'file' | 'memory' {
  if (text !== 'file' && text !== 'memory') {
    throw new Error(`EVENTSTORE_STORAGE must be file or memory, got ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * Options of every NATS connection a process opens (service listener, RPC client, event store):
 * reconnect forever, to any server of the list, quickly. A lost node costs a reconnect, not the
 * process.
 */
export function natsConnectionOptions(config: RuntimeConfig): {
  servers: string[];
  maxReconnectAttempts: number;
  reconnectTimeWait: number;
  noAsyncTraces: boolean;
} {
  return {
    servers: config.natsServers,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // The client otherwise builds two Error objects per request for async stack traces.
    noAsyncTraces: true,
  };
}
