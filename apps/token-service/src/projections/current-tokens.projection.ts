import { JoinTokenEventTypes, MembershipEventTypes, unionOf, type EventsOf } from '#contracts';
import { evolveJoinTokens, initialJoinTokens, type JoinTokens } from '#domain';
import type { Recorded } from '#eventstore';

/** What validation needs: the cluster this manager serves and the join tokens of every cluster. */
export interface CurrentTokens {
  readonly clusterId: string | undefined;
  readonly tokens: ReadonlyMap<string, JoinTokens>;
}

export const initialCurrentTokens: CurrentTokens = { clusterId: undefined, tokens: new Map() };

/** The membership stream and every cluster's join tokens. */
export const currentTokensHandles = unionOf(MembershipEventTypes, JoinTokenEventTypes);
export type CurrentTokensEvent = EventsOf<typeof currentTokensHandles>;

export function evolveCurrentTokens(state: CurrentTokens, event: Recorded<CurrentTokensEvent>): CurrentTokens {
  switch (event.type) {
    case 'SwarmInitStarted':
      return { ...state, clusterId: event.data.clusterId };
    case 'SwarmInitAbandoned':
      return state.clusterId === event.data.clusterId ? { ...state, clusterId: undefined } : state;
    case 'SwarmLeft':
      return { ...state, clusterId: undefined };
    case 'JoinTokensIssued':
    case 'JoinTokenRotated':
    case 'JoinTokensReissued': {
      const clusterId = event.data.clusterId;
      const tokens = new Map(state.tokens);
      tokens.set(clusterId, evolveJoinTokens(state.tokens.get(clusterId) ?? initialJoinTokens, event, event.metadata.causationId));
      return { ...state, tokens };
    }
    default:
      return state;
  }
}
