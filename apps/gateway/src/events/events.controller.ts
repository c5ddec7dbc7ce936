import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type DockerEvent, dockerEventJson, DockerEventTranslator } from '#engine-http';
import { Streams, type SwarmEvent, SwarmEventTypes } from '#contracts';
import { type EventStore, isEventOf, nowNanos, readSafely, type RecordedEvent, skippedEvents, type Subscription } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { eventWindow } from './event-query.js';
import { seededTranslator } from './seeded-translator.js';

/**
 * `GET /events`: Docker's swarm events, derived from the log. With `since`, the log is replayed
 * from there (not a 256-entry buffer), then the stream goes live through the same
 * subscription, so nothing is lost or repeated at the seam; `until` in the past ends the stream
 * after the replay. Without `since`, only new events, as the Engine does.
 */
/** How far before `since` a replay starts reading, for writers whose clocks run behind the server's. */
const CLOCK_SKEW_MS = 5_000;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The reader name skipped events are recorded under (GET /audit/skipped-events). */
const READER = 'docker events';

/**
 * Docker events of one stored event; none for an event that does not match its schema or that the
 * translator cannot take (recorded as skipped): a stream, or a replay with `until`, must never stop
 * at an event of the log.
 */
function translateSafely(translator: DockerEventTranslator, event: RecordedEvent): DockerEvent[] {
  return readSafely(READER, event, (e) => translator.translate(e), []);
}

/** The node an update or removal is about (its earlier history may have to be recalled first). */
function nodeIdOf(event: SwarmEvent): string | undefined {
  switch (event.type) {
    case 'NodeSpecUpdated':
    case 'NodeStatusChanged':
    case 'NodeRemoved':
      return event.data.nodeId;
    default:
      return undefined;
  }
}

@ApiExcludeController()
@Controller('events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
  ) {}

  @Get()
  stream(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('since') since: string | undefined,
    @Query('until') until: string | undefined,
    @Query('filters') filters: string | undefined,
  ): void {
    const window = eventWindow(since, until, filters);
    const from = window.since ?? nowNanos();
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), 'Content-Type': 'application/json' });
    raw.flushHeaders();
    let subscription: Subscription | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void subscription?.stop().finally(() => raw.end());
      if (!subscription) raw.end();
    };
    const untilPassed = (): boolean => window.until !== undefined && window.until <= nowNanos();
    request.raw.on('close', finish);
    void this.startingPoint(window.since)
      .then(({ translator, afterPosition }) => {
        if (finished) return;
        subscription = this.store.subscribeAll(
          { afterPosition, onCaughtUp: () => (untilPassed() ? finish() : undefined) },
          async (event) => {
            if (finished) return;
            if (!isEventOf(SwarmEventTypes, event, (issue) => skippedEvents.record(READER, event, 'schema', issue))) return;
            const nodeId = nodeIdOf(event);
            if (nodeId !== undefined && !translator.knowsNode(nodeId)) await this.recallNode(translator, nodeId, event.position);
            for (const docker of translateSafely(translator, event)) {
              const at = BigInt(docker.timeNano);
              if (window.until !== undefined && at > window.until) return finish();
              if (at >= from && window.matches(docker)) raw.write(`${dockerEventJson(docker)}\n`);
            }
          },
        );
        if (window.until !== undefined && !untilPassed()) {
          // A Node timer holds at most 2^31-1 ms (about 24.8 days); a later `until` would fire at
          // once, so the stream then lasts until the client goes away.
          const delayMs = Number((window.until - nowNanos()) / 1_000_000n) + 1;
          if (delayMs <= MAX_TIMER_MS) timer = setTimeout(finish, delayMs);
        }
      })
      .catch(() => finish());
  }

  /**
   * Where the stream starts and what the translator must know there. Live only: the read model's
   * facts at its position. With `since`: the first event stored a little before `since` (clocks of
   * writers may differ by a few seconds), the inits before it (membership is a short stream), and
   * each node's earlier history read from its own stream when the node first shows up — so a
   * window near the end of a long log does not replay the log from the start.
   */
  private async startingPoint(since: bigint | undefined): Promise<{ translator: DockerEventTranslator; afterPosition: number }> {
    if (since === undefined) return { translator: seededTranslator(this.readModel), afterPosition: this.readModel.position };
    const translator = new DockerEventTranslator();
    const fromTime = new Date(Number(since / 1_000_000n) - CLOCK_SKEW_MS);
    let first: number | undefined;
    for await (const event of this.store.readAll({ fromTime })) {
      first = event.position;
      break;
    }
    if (first === undefined) first = (await this.store.headPosition()) + 1;
    if (first > 1) {
      for (const event of (await this.store.readStream(Streams.membership())).events) {
        if (event.position < first) translateSafely(translator, event);
      }
    }
    return { translator, afterPosition: first - 1 };
  }

  /** Feeds the translator a node's events stored before `position` (names, roles, states). */
  private async recallNode(translator: DockerEventTranslator, nodeId: string, position: number): Promise<void> {
    for (const event of (await this.store.readStream(Streams.node(nodeId))).events) {
      if (event.position < position) translateSafely(translator, event);
    }
  }
}
