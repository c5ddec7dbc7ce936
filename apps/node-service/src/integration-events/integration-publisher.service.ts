import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { DockerEventTranslator } from '#engine-http';
import { AckedPublisher, type EventStore, PUBLISH_TIMEOUT_MS, readSafely, retryTransient, type Subscription } from '#eventstore';
import { EVENT_STORE, loadRuntimeConfig, natsConnectionOptions, type RuntimeConfig } from '#service-host';
import { INTEGRATION_STREAM, INTEGRATION_SUBJECT_PREFIX, type IntegrationSource, integrationSubject, toIntegrationEvent, tokenAgeSources } from './integration-event.js';
import { OrderedPublisher } from './ordered-publisher.js';

const CHECKPOINT_BUCKET = 'swarm-checkpoints';
const CHECKPOINT_KEY = 'integration-publisher';
const CHECKPOINT_EVERY_MS = 250;
const SETUP_RETRY = { retryForMs: 60_000 };
/** How long a publish that met no responders (a stream electing its leader) or no ack is sent again. */
const PUBLISH_RETRY = { retryForMs: 7_500 };
const encoder = new TextEncoder();

/**
 * Publishes the integration events from a checkpointed subscription to the log (never inline after
 * an append). At least once: after a crash it resumes from its checkpoint and may publish some
 * events again, which JetStream drops by their id (`Nats-Msg-Id`) within the duplicate window.
 * Up to 64 messages await their acknowledgement at a time, in order (OrderedPublisher); the
 * checkpoint only moves past positions whose messages are all stored.
 * The translator needs the log's earlier facts (names, previous values), so it reads from the
 * start and only publishes what lies after the checkpoint.
 */
@Injectable()
export class IntegrationPublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('IntegrationPublisher');
  private nc: NatsConnection | undefined;
  private acked: AckedPublisher | undefined;
  private kv: KV | undefined;
  private subscription: Subscription | undefined;
  private publisher: OrderedPublisher | undefined;
  private published = 0;
  private lastSaved = 0;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    const config = loadRuntimeConfig();
    this.nc = await connect({ ...natsConnectionOptions(config), name: 'integration-publisher' });
    const nc = this.nc;
    // On a cluster still electing leaders, or while the other replica creates the same stream,
    // these calls time out: retried like any transient failure.
    const kv = await retryTransient(nc, SETUP_RETRY, () => ensureStreamAndBucket(nc, config));
    const entry = await retryTransient(nc, SETUP_RETRY, () => kv.get(CHECKPOINT_KEY));
    this.kv = kv;
    const checkpoint = entry ? Number(entry.string()) : 0;
    this.published = this.lastSaved = checkpoint;
    const translator = new DockerEventTranslator();
    const acked = (this.acked = new AckedPublisher(nc, PUBLISH_TIMEOUT_MS));
    const publisher = new OrderedPublisher(
      (subject, data, { msgID, expectLastMsgID }) =>
        // Retried while NATS fails over (no responders while the stream has no leader); the same
        // message id makes a second copy a duplicate the stream drops.
        retryTransient(nc, PUBLISH_RETRY, () =>
          acked.publish(subject, encoder.encode(data), { msgID, ...(expectLastMsgID === undefined ? {} : { expect: { lastMsgID: expectLastMsgID } }) }),
        ),
      (position) => {
        this.published = position;
        this.scheduleCheckpoint();
      },
    );
    this.publisher = publisher;
    this.subscription = this.store.subscribeAll({ afterPosition: 0 }, async (event) => {
      // An event that does not match its schema, or that the translator cannot take, is skipped and
      // recorded (log line, metric): publishing must not stop at it, at this start or any later one.
      const dockerEvents = readSafely<IntegrationSource[]>('integration publisher', event, (e) => [...translator.translate(e), ...tokenAgeSources(e)], []);
      if (event.position <= checkpoint) return;
      if (dockerEvents.length === 0) return publisher.skip(event.position);
      for (const [index, docker] of dockerEvents.entries()) {
        const message = toIntegrationEvent(event, docker, index);
        const last = index === dockerEvents.length - 1;
        await publisher.send(integrationSubject(docker), JSON.stringify(message), message.id, last ? event.position : undefined);
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
    await this.publisher?.flush().catch((error: unknown) => this.logger.warn(`integration events not all stored: ${String(error)}`));
    clearTimeout(this.flushTimer);
    await this.saveCheckpoint();
    this.acked?.close();
    await this.nc?.drain();
  }

  private scheduleCheckpoint(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.saveCheckpoint().catch((error: unknown) => this.logger.warn(`checkpoint: ${String(error)}`));
    }, CHECKPOINT_EVERY_MS);
  }

  private async saveCheckpoint(): Promise<void> {
    if (!this.kv || this.published === this.lastSaved) return;
    const position = this.published;
    await this.kv.put(CHECKPOINT_KEY, String(position));
    this.lastSaved = position;
  }
}

/**
 * The integration stream and the checkpoint bucket, with the replicas and storage of the event log
 * (EVENTSTORE_REPLICAS, EVENTSTORE_STORAGE). Without EVENTSTORE_REPLICAS, existing ones keep theirs.
 */
async function ensureStreamAndBucket(nc: NatsConnection, config: RuntimeConfig): Promise<KV> {
  const jsm = await jetstreamManager(nc);
  const storage = config.eventStorage === 'memory' ? StorageType.Memory : StorageType.File;
  const replicas = config.eventReplicas;
  const stream = { name: INTEGRATION_STREAM, subjects: [`${INTEGRATION_SUBJECT_PREFIX}.>`], duplicate_window: 10 * 60 * 1e9, ...(replicas ? { num_replicas: replicas } : {}) };
  await jsm.streams.add({ ...stream, storage }).catch(async () => jsm.streams.update(INTEGRATION_STREAM, stream));
  const existing = await jsm.streams.info(`KV_${CHECKPOINT_BUCKET}`).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  });
  return new Kvm(nc).create(CHECKPOINT_BUCKET, { history: 1, replicas: replicas ?? existing?.config.num_replicas ?? 1, storage });
}
