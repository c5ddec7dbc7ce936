import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { DockerEventTranslator, dockerEventJson } from '#domain';
import { nowNanos, type EventStore, type Subscription } from '#eventstore';
import { EVENT_STORE } from '#runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { eventWindow } from './event-query.js';

/**
 * `GET /events`: Docker's swarm events, derived from the log. With `since`, the whole log is
 * replayed from there (not a 256-entry buffer), then the stream goes live through the same
 * subscription, so nothing is lost or repeated at the seam; `until` in the past ends the stream
 * after the replay. Without `since`, only new events, as the Engine does.
 */
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
    // Live only: start from the read model's facts at its position instead of replaying the log.
    const live = window.since === undefined;
    const translator = live ? this.seededTranslator() : new DockerEventTranslator();
    const afterPosition = live ? this.readModel.position : 0;
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
    subscription = this.store.subscribeAll(
      { afterPosition, onCaughtUp: () => (untilPassed() ? finish() : undefined) },
      (event) => {
        if (finished) return;
        for (const docker of translator.translate(event)) {
          const at = BigInt(docker.timeNano);
          if (window.until !== undefined && at > window.until) return finish();
          if (at >= from && window.matches(docker)) raw.write(`${dockerEventJson(docker)}\n`);
        }
      },
    );
    if (window.until !== undefined && !untilPassed()) {
      timer = setTimeout(finish, Number((window.until - nowNanos()) / 1_000_000n) + 1);
    }
    request.raw.on('close', finish);
  }

  private seededTranslator(): DockerEventTranslator {
    const model = this.readModel.model;
    return new DockerEventTranslator().seed({
      nodes: [...model.nodes.values()].map(({ data }) => ({
        id: data.nodeId,
        name: data.engine.hostname,
        role: data.role,
        availability: data.availability,
        state: data.state,
      })),
      networks: [...model.networks.values()].map(({ data }) => ({ id: data.networkId, name: data.name })),
    });
  }
}
