import { Controller, Inject, type OnModuleInit } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  StreamCategories,
  Streams,
  Subjects,
  SwarmErrors,
  type ValidateJoinTokenReply,
  type ValidateJoinTokenRequest,
} from '#contracts';
import { formatJoinToken, type JoinTokens, joinTokensMatch, parseJoinToken } from '#domain';
import { type EventStore, ProjectionRunner } from '#eventstore';
import { openSecret } from '#pki';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE, KEK, KekHolder } from '#service-host';
import {
  currentTokensHandles,
  evolveCurrentTokens,
  initialCurrentTokens,
  type CurrentTokens,
  type CurrentTokensEvent,
} from '../projections/current-tokens.projection.js';

type IssuedTokens = Extract<JoinTokens, { issued: true }>;

/** `validate(token) -> role`: the manager token is tried first, then the worker's, in constant time. */
@Controller()
export class ValidateTokenHandler implements OnModuleInit {
  private readonly projection: ProjectionRunner<CurrentTokens, CurrentTokensEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {
    this.projection = new ProjectionRunner({
      store,
      name: 'current-tokens',
      initialState: initialCurrentTokens,
      evolve: evolveCurrentTokens,
      handles: currentTokensHandles,
      // Never sent the node events of joins (most of the log).
      categories: [StreamCategories.membership, StreamCategories.joinTokens],
    });
  }

  /**
   * The tokens of a projection state, unsealed once: every change makes a new state object, so a
   * rotation is never answered from here with the old secret.
   */
  private readonly unsealed = new WeakMap<IssuedTokens, { manager: string; worker: string }>();

  private opened(clusterId: string, current: IssuedTokens): { manager: string; worker: string } {
    let tokens = this.unsealed.get(current);
    if (!tokens) {
      const stream = Streams.joinTokens(clusterId);
      tokens = {
        manager: formatJoinToken(current.caDigest, openSecret(current.manager, this.kek.current(), stream)),
        worker: formatJoinToken(current.caDigest, openSecret(current.worker, this.kek.current(), stream)),
      };
      this.unsealed.set(current, tokens);
    }
    return tokens;
  }

  async onModuleInit(): Promise<void> {
    await this.projection.start();
  }

  /**
   * A rotation (or a leave, or a new swarm) acknowledged a moment ago must already count: reads the
   * membership stream and the served cluster's join tokens up to their last events. When the
   * membership's head names another cluster, that cluster's tokens are read in turn.
   */
  private async readTokensToHead(): Promise<void> {
    let clusterId = this.projection.state.clusterId;
    for (let round = 0; round < 5; round++) {
      await this.projection.readStreamsToHead(clusterId === undefined ? [Streams.membership()] : [Streams.membership(), Streams.joinTokens(clusterId)]);
      const served = this.projection.state.clusterId;
      if (served === clusterId) return;
      clusterId = served;
    }
  }

  @HandlesRequest(Subjects.tokensValidate)
  async validate(@Payload() request: ValidateJoinTokenRequest): Promise<ValidateJoinTokenReply> {
    try {
      parseJoinToken(request.token);
    } catch {
      throw new DomainError(SwarmErrors.invalidJoinToken());
    }
    await this.readTokensToHead();
    const { clusterId, tokens } = this.projection.state;
    const current = clusterId ? tokens.get(clusterId) : undefined;
    if (!clusterId || !current?.issued) throw new DomainError(SwarmErrors.joinTokenRejected());
    const { manager, worker } = this.opened(clusterId, current);
    const isManager = joinTokensMatch(request.token, manager);
    const isWorker = joinTokensMatch(request.token, worker);
    if (isManager) return { role: 'manager', clusterId };
    if (isWorker) return { role: 'worker', clusterId };
    throw new DomainError(SwarmErrors.joinTokenRejected());
  }
}
