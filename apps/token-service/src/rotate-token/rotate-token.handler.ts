import { Controller, Inject, Optional } from '@nestjs/common';
import { TokenAgeWatch } from '../token-age/token-age.watch.js';
import { Payload } from '@nestjs/microservices';
import { type PositionReply, type RotateJoinTokensRequest, Streams, Subjects } from '#contracts';
import { decideJoinTokens } from '#domain';
import { type EventStore, handleCommand } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { deterministicEventId, EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
import { JOIN_TOKENS } from '../join-tokens-fold.js';
import { prepareSecret } from '../secrets.js';

/**
 * Gives a role a new secret with the same CA digest; from then on the old token fails
 * validation. Applied once per causing event, so a retried request rotates once.
 */
@Controller()
export class RotateTokenHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Optional() @Inject(TokenAgeWatch) private readonly ageWatch?: TokenAgeWatch,
  ) {}

  @HandlesRequest(Subjects.tokensRotate)
  async rotate(@Payload() request: RotateJoinTokensRequest): Promise<PositionReply> {
    const stream = Streams.joinTokens(request.clusterId);
    const context = serviceContext('token-service', request.context, request.causationEventId);
    let position = 0;
    for (const role of request.roles) {
      const result = await handleCommand({
        store: this.store,
        stream,
        ...JOIN_TOKENS,
        decide: (state) => {
          if (!state.issued) return [];
          const command = {
            type: 'RotateJoinToken' as const,
            role,
            secret: prepareSecret(state.caDigest, this.kek.current(), stream),
            causationEventId: request.causationEventId,
          };
          const id = deterministicEventId(request.causationEventId, 'rotate', role);
          return decideJoinTokens(command, state).map((event) => toNewEvent(event, context, id));
        },
      });
      position = Math.max(position, result.position);
    }
    this.ageWatch?.lookNow();
    return { position };
  }
}
