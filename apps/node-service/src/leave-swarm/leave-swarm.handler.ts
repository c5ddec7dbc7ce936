import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subjects, type LeaveSwarmRequest, type PositionReply } from '#contracts';
import type { EventStore } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE } from '#service-host';
import { decideOnMembership } from '../membership/membership-command.js';

/** `swarm.leave`: the only manager leaves only with force; the cluster's history stays in the log. */
@Controller()
export class LeaveSwarmHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @HandlesRequest(Subjects.swarmLeave)
  async leave(@Payload() request: LeaveSwarmRequest): Promise<PositionReply> {
    const result = await decideOnMembership(this.store, { type: 'LeaveSwarm', force: request.force }, request.context);
    return { position: result.position };
  }
}
