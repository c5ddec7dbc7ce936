import { Controller, Inject, Optional } from '@nestjs/common';
import { TokenAgeWatch } from '../token-age/token-age.watch.js';
import { Payload } from '@nestjs/microservices';
import { type IssueJoinTokensRequest, type PositionReply, Streams, Subjects } from '#contracts';
import { decideJoinTokens } from '#domain';
import { type EventStore, handleCommand } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { JOIN_TOKENS } from '../join-tokens-fold.js';
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
      ...JOIN_TOKENS,
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
