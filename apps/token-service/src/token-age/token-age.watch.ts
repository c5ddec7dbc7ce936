import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { JoinTokenEventTypes, MembershipEventTypes, Streams } from '#contracts';
import { type PreparedSecret, decideTokenAge, evolveMembership, evolveTokenAges, initialMembership, initialTokenAges, nextAgeMoment, tokensPastAge, type TokenAges } from '#domain';
import { handleCommand, loadStream, type EventStore } from '#eventstore';
import { EVENT_STORE, KEK, KekHolder, TOKEN_AGE_POLICY, toNewEvent, tokenAgePolicy, type TokenAgePolicy } from '#service-host';
import { prepareSecret } from '../secrets.js';

/** The watch's clock (ms since the epoch); tests inject their own. */
export const TOKEN_AGE_CLOCK = Symbol('TOKEN_AGE_CLOCK');

/** The longest wait between two looks at the tokens (a token rotated elsewhere changes the next moment). */
const LOOK_AT_LEAST_EVERY_MS = 60_000;
const INIT_LOOK_AGAIN_MS = 250;
const TOKEN_AGES = { types: JoinTokenEventTypes, initialState: initialTokenAges, evolve: evolveTokenAges };
const MEMBERSHIP = { types: MembershipEventTypes, initialState: initialMembership, evolve: evolveMembership };
const CONTEXT = { correlationId: 'token-age-watch', actor: 'service:token-service' };

/**
 * Records the moment a join token passes `SWARM_TOKEN_MAX_AGE` (`JoinTokenAgeExceeded`, once per
 * token), and with `SWARM_TOKEN_AUTO_ROTATE=true` gives it a new secret in the same append. Looks
 * when the next token is due and at least once a minute; replicas racing are settled by the append.
 */
@Injectable()
export class TokenAgeWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('token-age');
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEK) private readonly kek: KekHolder,
    @Optional() @Inject(TOKEN_AGE_CLOCK) private readonly now: () => number = Date.now,
    @Optional() @Inject(TOKEN_AGE_POLICY) private readonly policy: TokenAgePolicy = tokenAgePolicy(),
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One look: marks (and rotates) what is due; resolves with when the next token is due, if any. */
  async check(): Promise<number | undefined> {
    const { clusterId, initializing } = await this.currentCluster();
    // An init under way has its tokens already: look again as soon as it completes.
    if (!clusterId) return initializing ? this.now() + INIT_LOOK_AGAIN_MS : undefined;
    const stream = Streams.joinTokens(clusterId);
    let { state } = await loadStream(this.store, stream, TOKEN_AGES);
    if (tokensPastAge(state, this.now(), this.policy.maxAgeMs).length > 0) state = await this.mark(stream, state);
    return nextAgeMoment(state, this.policy.maxAgeMs);
  }

  private async mark(stream: string, before: TokenAges): Promise<TokenAges> {
    // A locked manager cannot seal a new secret: it records the age and rotates once unlocked.
    const rotate = this.policy.autoRotate && !this.kek.locked;
    const nowMs = this.now();
    const result = await handleCommand({
      store: this.store,
      stream,
      ...TOKEN_AGES,
      decide: (state) => {
        const rotateWith = rotate && state.caDigest ? this.newSecrets(state.caDigest, stream) : undefined;
        return decideTokenAge({ type: 'MarkTokensAged', nowMs, maxAgeMs: this.policy.maxAgeMs, ...(rotateWith ? { rotateWith } : {}) }, state).map((event) => toNewEvent(event, CONTEXT));
      },
    });
    const aged = result.events.filter((event) => event.type === 'JoinTokenAgeExceeded').length;
    if (aged > 0) this.logger.warn(`${aged} join token(s) older than SWARM_TOKEN_MAX_AGE${rotate ? ': rotated' : ': rotate with docker swarm join-token --rotate'}`);
    return aged > 0 ? (await loadStream(this.store, stream, TOKEN_AGES)).state : before;
  }

  private newSecrets(caDigest: string, stream: string): Record<'worker' | 'manager', PreparedSecret> {
    const kek = this.kek.current();
    return { worker: prepareSecret(caDigest, kek, stream), manager: prepareSecret(caDigest, kek, stream) };
  }

  /** Look now (tokens were just issued or rotated): the next moment may be sooner than planned. */
  lookNow(): void {
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private async currentCluster(): Promise<{ clusterId?: string; initializing: boolean }> {
    const { state } = await loadStream(this.store, Streams.membership(), MEMBERSHIP);
    if (state.status === 'active') return { clusterId: state.init.clusterId, initializing: false };
    return { initializing: state.status === 'initializing' };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, Math.min(delayMs, LOOK_AT_LEAST_EVERY_MS)));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let next: number | undefined;
    try {
      next = await this.check();
    } catch (error) {
      this.logger.warn(`join token ages not checked: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.schedule(next === undefined ? LOOK_AT_LEAST_EVERY_MS : next - this.now());
  }
}
