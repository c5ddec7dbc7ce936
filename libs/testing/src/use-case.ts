/**
 * Given events / When command / Then events, for the handler specs of the services: an in-memory
 * event store (the same contract as JetStream and KurrentDB), a key-encryption key, and an RPC
 * client whose other services are stand-ins the spec writes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSIONS, SwarmEventTypes, type ReplyOf, type RequestOf, type RequestSubject, type SwarmEvent } from '#contracts';
import { InMemoryEventStore, isEventOf, type EventStore, type NewEvent, type Recorded } from '#eventstore';
import { RpcClient } from '#rpc';
import { EMPTY, throwError } from 'rxjs';

/** A key-encryption key for a spec (what the services load from a file). */
export function testKek(): Buffer {
  return randomBytes(32);
}

export function newEventOf(event: SwarmEvent, causationId?: string): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    data: event.data,
    metadata: { correlationId: 'given', actor: 'test', ...(causationId ? { causationId } : {}) },
  };
}

/** A fresh store holding `history` (stream -> its events, in order). */
export async function givenEvents(history: Record<string, readonly SwarmEvent[]> = {}): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (const [stream, events] of Object.entries(history)) {
    if (events.length > 0) await store.append(stream, events.map((event) => newEventOf(event)), 'no_stream');
  }
  return store;
}

/** The swarm events of `stream` after `afterPosition` (narrow on `type` to read their data). */
export async function thenEvents(store: EventStore, stream: string, afterPosition = 0): Promise<Recorded<SwarmEvent>[]> {
  const { events } = await store.readStream(stream);
  return events.filter((e): e is Recorded<SwarmEvent> => e.position > afterPosition && isEventOf(SwarmEventTypes, e));
}

/** Type and data of each event, to compare with domain events. */
export function domainEvents(events: readonly Recorded<SwarmEvent>[]): { type: string; data: unknown }[] {
  return events.map(({ type, data }) => ({ type, data }));
}

/** What the stand-ins for other services answer, per subject; a subject without one fails the spec. */
export type ServiceStandIns = { readonly [S in RequestSubject]?: (request: RequestOf<S>) => ReplyOf<S> | Promise<ReplyOf<S>> };

/** An RPC client whose requests the stand-ins answer in process; `sent` lists what was asked. */
export function standInRpc(standIns: ServiceStandIns): { rpc: RpcClient; sent: { subject: string; request: unknown }[] } {
  const sent: { subject: string; request: unknown }[] = [];
  const client = {
    async requestReply(subject: string, request: unknown): Promise<unknown> {
      sent.push({ subject, request });
      const answer = (standIns as Record<string, ((request: unknown) => unknown) | undefined>)[subject];
      if (!answer) throw new Error(`no stand-in answers ${subject}`);
      return answer(request);
    },
    send: () => throwError(() => new Error('use requestReply')),
    emit: () => EMPTY,
    connect: async () => undefined,
    close: async () => undefined,
  };
  return { rpc: new RpcClient(client), sent };
}
