import { Controller, Inject, Optional } from '@nestjs/common';
import { TokenAgeWatch } from '../token-age/token-age.watch.js';
import { Payload } from '@nestjs/microservices';
import { type IssueJoinTokensRequest, JoinTokenEventTypes, type PositionReply, Streams, Subjects } from '#contracts';
import { decideJoinTokens, evolveJoinTokens, initialJoinTokens } from '#domain';
import { type EventStore, handleCommand } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { prepareSecret } from '../secrets.js';

/** Issues the worker and manager tokens of a new cluster, once. */
@Controller()
export class IssueTokensHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Optional() @Inject(TokenAgeWatch) private readonly ageWatch?: TokenAgeWatch,
  ) {}

  @HandlesRequest(Subjects.tokensIssue)
  async issue(@Payload() request: IssueJoinTokensRequest): Promise<PositionReply> {
    const stream = Streams.joinTokens(request.clusterId);
    const context = serviceContext('token-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream,
      initialState: initialJoinTokens,
      types: JoinTokenEventTypes,
      evolve: (state, event) => evolveJoinTokens(state, event, event.metadata.causationId),
      decide: (state) =>
        decideJoinTokens(
          {
            type: 'IssueJoinTokens',
            clusterId: request.clusterId,
            caDigest: request.caDigest,
            worker: prepareSecret(request.caDigest, this.kek.current(), stream),
            manager: prepareSecret(request.caDigest, this.kek.current(), stream),
          },
          state,
        ).map((event) => toNewEvent(event, context)),
    });
    if (result.events.length > 0) this.ageWatch?.lookNow();
    return { position: result.position };
  }
}
