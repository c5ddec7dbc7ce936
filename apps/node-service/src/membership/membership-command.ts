import { MembershipEventTypes, Streams, type RequestContext } from '#contracts';
import { decideMembership, evolveMembership, initialMembership, type MembershipCommand } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { toNewEvent } from '#service-host';

/**
 * Decides a command on this manager's `membership` stream (init started, completed or abandoned, a
 * leave) and appends its events at the stream's revision, deciding again after a conflict. `eventId`
 * makes a step's event idempotent (the same id is stored once); absent, each call is a new event.
 */
export function decideOnMembership(store: EventStore, command: MembershipCommand, context: RequestContext, eventId?: string): ReturnType<typeof handleCommand> {
  return handleCommand({
    store,
    stream: Streams.membership(),
    initialState: initialMembership,
    types: MembershipEventTypes,
    evolve: evolveMembership,
    decide: (state) => decideMembership(command, state).map((event) => toNewEvent(event, context, eventId)),
  });
}
