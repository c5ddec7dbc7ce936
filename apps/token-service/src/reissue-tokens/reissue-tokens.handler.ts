import { Controller, Inject, Optional } from '@nestjs/common';
import { TokenAgeWatch } from '../token-age/token-age.watch.js';
import { Payload } from '@nestjs/microservices';
import { Streams, Subjects, type PositionReply, type ReissueJoinTokensRequest } from '#contracts';
import { decideJoinTokens } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { JOIN_TOKENS } from '../join-tokens-fold.js';
import { prepareSecret } from '../secrets.js';

/**
 * After a root rotation ended: both join tokens anew, the new root's digest and new secrets, as the
 * Engine changes them. Tokens with the old digest or the old secrets stop working at once.
 */
@Controller()
export class ReissueTokensHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Optional() @Inject(TokenAgeWatch) private readonly ageWatch?: TokenAgeWatch,
  ) {}

  @HandlesRequest(Subjects.tokensReissue)
  async reissue(@Payload() request: ReissueJoinTokensRequest): Promise<PositionReply> {
    const stream = Streams.joinTokens(request.clusterId);
    const context = serviceContext('token-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream,
      ...JOIN_TOKENS,
      decide: (state) => {
        if (!state.issued || state.caDigest === request.caDigest) return [];
        const command = {
          type: 'ReissueJoinTokens' as const,
          rotationId: request.rotationId,
          caDigest: request.caDigest,
          worker: prepareSecret(request.caDigest, this.kek.current(), stream),
          manager: prepareSecret(request.caDigest, this.kek.current(), stream),
        };
        return decideJoinTokens(command, state).map((event) => toNewEvent(event, context));
      },
    });
    // Both tokens are young again: the watch looks when they will next be due.
    if (result.events.length > 0) this.ageWatch?.lookNow();
    return { position: result.position };
  }
}
