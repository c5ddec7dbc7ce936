import { PassThrough } from 'node:stream';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdentityStore } from '../identity-store/identity-store.js';
import { engineCallOf, sendForwarded } from '../manager-api/forwarded-reply.js';
import { ManagerForwarder } from '../manager-api/manager-forwarder.js';
import { EVENT_FILTER_KEYS, parseEventTime, parseFilters } from '#engine-http';
import { eventsStreamMs } from './events-window.js';

/**
 * `GET /events`: a manager agent streams the swarm's events from the control plane; any other
 * agent has no events of its own (no containers, and workers see no swarm events), so its stream
 * stays empty until `until` or until the client goes away.
 */
@Controller('events')
export class EventsController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
  ) {}

  @Get()
  async events(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('since') since: string | undefined,
    @Query('until') until: string | undefined,
    @Query('filters') filters: string | undefined,
  ): Promise<void> {
    if (this.identities.identity?.role === 'manager') {
      sendForwarded(reply, await this.manager.forward(engineCallOf(request)));
      return;
    }
    // Checked as the manager checks them, though nothing here uses since or the filters.
    parseEventTime(since);
    parseEventTime(until);
    parseEventFilters(filters);
    const stream = new PassThrough();
    const endInMs = eventsStreamMs(until, Date.now());
    const timer = endInMs === undefined ? undefined : setTimeout(() => stream.end(), endInMs);
    reply.raw.once('close', () => {
      clearTimeout(timer);
      stream.destroy();
    });
    void reply.status(200).header('Content-Type', 'application/json').send(stream);
  }
}

/** The Engine ignores filter keys it does not know on `/events`; malformed JSON is still an error. */
function parseEventFilters(raw: string | undefined): void {
  try {
    parseFilters(raw, EVENT_FILTER_KEYS);
  } catch (error) {
    if (!/^Invalid filter '/.test((error as Error).message)) throw error;
  }
}
