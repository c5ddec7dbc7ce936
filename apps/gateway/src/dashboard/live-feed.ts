import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { JoinTokenEventTypes, Streams, type SwarmEvent } from '#contracts';
import { DockerEventTranslator } from '#engine-http';
import { isEventOf, type EventStore, type Recorded, type RecordedEvent } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import { seededTranslator } from '../events/seeded-translator.js';
import { ReadModelService } from '../read-model/read-model.service.js';
import { HeartbeatWatch } from './heartbeat-watch.js';
import { changeFor } from './view-changes.js';
import { presentView, recordTokenEvent, type TokenAges } from './present-view.js';
import type { DashboardView, DockerEventRow } from './view-types.js';

/** How many Docker events a page that opens is shown before the live ones. */
const RECENT_EVENTS = 500;

/**
 * The dashboard's live side: one listener on the gateway's read model turns each event it applies
 * into a change of the page's view and into Docker events, and writes them to every open page as
 * server-sent events. Nothing is polled: a page hears of a change when the log has it.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dashboard');
  private readonly pages = new Set<ServerResponse>();
  private readonly recent: DockerEventRow[] = [];
  private readonly tokens: TokenAges = new Map();
  /** The last join token event folded per cluster: the stream read at start and live events may overlap. */
  private readonly tokenPositions = new Map<string, number>();
  private translator = new DockerEventTranslator();
  private readonly stops: (() => void)[] = [];

  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(HeartbeatWatch) private readonly heartbeats: HeartbeatWatch,
  ) {}

  onApplicationBootstrap(): void {
    this.translator = seededTranslator(this.readModel);
    this.stops.push(this.readModel.onEvent((event) => this.apply(event)));
    this.stops.push(this.heartbeats.onBeats((beats) => this.pages.size > 0 && this.broadcast('heartbeats', beats)));
    const clusterId = this.readModel.model.currentClusterId;
    if (clusterId) void this.loadTokens(clusterId);
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops) stop();
    for (const page of this.pages) page.end();
    this.pages.clear();
  }

  /** The current view (the gateway's read model at its position). */
  view(): DashboardView {
    return presentView(this.readModel.model, this.tokens, this.readModel.position);
  }

  /** Starts a server-sent event stream: the view, the recent Docker events, then every change. */
  open(page: ServerResponse): void {
    page.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    send(page, 'snapshot', this.view());
    send(page, 'docker', this.recent);
    send(page, 'heartbeats', Object.fromEntries(this.heartbeats.lastBeats));
    this.pages.add(page);
    page.on('close', () => this.pages.delete(page));
  }

  private apply(event: Recorded<SwarmEvent>): void {
    try {
      if (recordTokenEvent(this.tokens, event)) this.tokenPositions.set(event.data.clusterId, event.position);
      const docker = this.translator.translate(event).map((e) => ({ position: event.position, ...e }));
      this.recent.push(...docker);
      if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
      if (event.type === 'SwarmInitCompleted') void this.loadTokens(event.data.clusterId);
      if (this.pages.size === 0) return;
      const change = changeFor(this.readModel.model, this.tokens, event);
      if (change === 'everything') this.broadcast('snapshot', this.view());
      else if (change) this.broadcast('change', change);
      if (docker.length > 0) this.broadcast('docker', docker);
    } catch (error) {
      this.logger.warn(`dashboard feed: ${(error as Error).message}`);
    }
  }

  /** The token fingerprints of a cluster whose events came before this listener (the log's catch-up). */
  private async loadTokens(clusterId: string): Promise<void> {
    try {
      const { events } = await this.store.readStream(Streams.joinTokens(clusterId));
      const after = this.tokenPositions.get(clusterId) ?? 0;
      for (const event of events) if (event.position > after && isEventOf(JoinTokenEventTypes, event)) recordTokenEvent(this.tokens, event);
      const last = events.at(-1)?.position ?? 0;
      if (last > after) this.tokenPositions.set(clusterId, last);
      if (this.pages.size > 0) this.broadcast('snapshot', this.view());
    } catch (error) {
      this.logger.warn(`dashboard: join token history of ${clusterId}: ${(error as Error).message}`);
    }
  }

  broadcast(kind: string, value: unknown): void {
    for (const page of this.pages) send(page, kind, value);
  }
}

function send(page: ServerResponse, kind: string, value: unknown): void {
  page.write(`event: ${kind}\ndata: ${JSON.stringify(value)}\n\n`);
}
