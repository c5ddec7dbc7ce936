import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { JoinTokenEventTypes, Streams, Subjects, type PositionReply, type ReissueJoinTokensRequest } from '#contracts';
import { decideJoinTokens, evolveJoinTokens, initialJoinTokens } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder, serviceContext, toNewEvent } from '#service-host';
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
  ) {}

  @HandlesRequest(Subjects.tokensReissue)
  async reissue(@Payload() request: ReissueJoinTokensRequest): Promise<PositionReply> {
    const stream = Streams.joinTokens(request.clusterId);
    const context = serviceContext('token-service', request.context);
    const result = await handleCommand({
      store: this.store,
      stream,
      initialState: initialJoinTokens,
      types: JoinTokenEventTypes,
      evolve: (state, event) => evolveJoinTokens(state, event, event.metadata.causationId),
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
    return { position: result.position };
  }
}
