import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MembershipEventTypes, Streams } from '#contracts';
import { evolveMembership, initialMembership } from '#domain';
import { loadStream, type EventStore } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import { InitProcess } from './init-process.js';

/** After a crash in the middle of an init, the next node-service to start finishes it (or abandons it, if a step refuses). */
@Injectable()
export class ResumeInitService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ResumeInit');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(InitProcess) private readonly process: InitProcess,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the other services may still be starting; the process tries again while they do not answer.
    void this.resume().catch((error: unknown) => this.logger.error(`resuming init failed: ${String(error)}`));
  }

  private async resume(): Promise<void> {
    const { state, events } = await loadStream(this.store, Streams.membership(), {
      types: MembershipEventTypes,
      initialState: initialMembership,
      evolve: evolveMembership,
    });
    if (state.status !== 'initializing') return;
    const started = events.findLast((e) => e.type === 'SwarmInitStarted');
    this.logger.log(`completing the init of cluster ${state.init.clusterId}`);
    const cause = { correlationId: started?.metadata.correlationId ?? state.init.initId, actor: 'service:node-service' };
    await this.process.run(state.init, cause);
  }
}
