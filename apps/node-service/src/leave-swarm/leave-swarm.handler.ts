import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Streams, Subjects, type LeaveSwarmRequest, MembershipEventTypes, type PositionReply } from '#contracts';
import { decideMembership, evolveMembership, initialMembership } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { HandlesRequest, EVENT_STORE, toNewEvent } from '#runtime';

/** `swarm.leave`: the only manager leaves only with force; the cluster's history stays in the log. */
@Controller()
export class LeaveSwarmHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @HandlesRequest(Subjects.swarmLeave)
  async leave(@Payload() request: LeaveSwarmRequest): Promise<PositionReply> {
    const result = await handleCommand({
      store: this.store,
      stream: Streams.membership(),
      initialState: initialMembership,
      types: MembershipEventTypes,
      evolve: evolveMembership,
      decide: (state) =>
        decideMembership({ type: 'LeaveSwarm', force: request.force }, state).map((event) => toNewEvent(event, request.context)),
    });
    return { position: result.position };
  }
}
