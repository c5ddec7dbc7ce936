import type { EventData, JoinTokenEvent, MembershipEvent } from '#contracts';
import { evolveJoinTokens, initialJoinTokens, type JoinTokens } from '#domain';
import type { RecordedEvent } from '#eventstore';

/** What validation needs: the cluster this manager serves and the join tokens of every cluster. */
export interface CurrentTokens {
  readonly clusterId: string | undefined;
  readonly tokens: ReadonlyMap<string, JoinTokens>;
}

export const initialCurrentTokens: CurrentTokens = { clusterId: undefined, tokens: new Map() };

export const currentTokensHandles = [
  'SwarmInitStarted',
  'SwarmInitAbandoned',
  'SwarmLeft',
  'JoinTokensIssued',
  'JoinTokenRotated',
] as const;

export function evolveCurrentTokens(state: CurrentTokens, event: RecordedEvent): CurrentTokens {
  switch (event.type) {
    case 'SwarmInitStarted':
      return { ...state, clusterId: (event.data as EventData<'SwarmInitStarted'>).clusterId };
    case 'SwarmInitAbandoned':
      return state.clusterId === (event.data as EventData<'SwarmInitAbandoned'>).clusterId ? { ...state, clusterId: undefined } : state;
    case 'SwarmLeft':
      return { ...state, clusterId: undefined };
    case 'JoinTokensIssued':
    case 'JoinTokenRotated': {
      const domainEvent = { type: event.type, data: event.data } as JoinTokenEvent;
      const clusterId = domainEvent.data.clusterId;
      const tokens = new Map(state.tokens);
      tokens.set(clusterId, evolveJoinTokens(state.tokens.get(clusterId) ?? initialJoinTokens, domainEvent, event.metadata.causationId));
      return { ...state, tokens };
    }
    default:
      return state;
  }
}

export type { MembershipEvent };
