import { JoinTokenEventTypes, type JoinTokenEvent } from '#contracts';
import { evolveJoinTokens, initialJoinTokens, type JoinTokens } from '#domain';
import type { StreamFold } from '#eventstore';

/** A cluster's join-tokens stream as every token command decides on it (issue, rotate, reissue). */
export const JOIN_TOKENS: StreamFold<JoinTokens, JoinTokenEvent> = {
  types: JoinTokenEventTypes,
  initialState: initialJoinTokens,
  evolve: (state, event) => evolveJoinTokens(state, event, event.metadata.causationId),
};
