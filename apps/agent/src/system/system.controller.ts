import { Controller, Get, Head, Header, Inject, Logger, Res } from '@nestjs/common';
import { presentVersion, sendPing } from '#engine-http';
import type { FastifyReply } from 'fastify';
import { IdentityStore, type NodeIdentity } from '../identity-store/identity-store.js';
import { ManagerForwarder } from '../manager-api/manager-forwarder.js';
import { joinedSwarmInfo, managerInfo, notJoinedSwarmInfo, pingSwarmHeader, presentInfo } from './info.presenter.js';
import { LocalEngine } from './local-engine.js';

/** `/_ping`, `/version`, `/info` of a machine that joined (or may join) a swarm. */
@Controller()
export class SystemController {
  private readonly logger = new Logger('Info');

  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
    @Inject(LocalEngine) private readonly engine: LocalEngine,
  ) {}

  @Get('_ping')
  ping(@Res() reply: FastifyReply): void {
    sendPing(reply, pingSwarmHeader(this.identities.localNodeState, this.identities.identity), false);
  }

  @Head('_ping')
  pingHead(@Res() reply: FastifyReply): void {
    sendPing(reply, pingSwarmHeader(this.identities.localNodeState, this.identities.identity), true);
  }

  @Get('version')
  @Header('Content-Type', 'application/json')
  version(): Record<string, unknown> {
    return presentVersion('swarmplane agent');
  }

  @Get('info')
  @Header('Content-Type', 'application/json')
  async info(): Promise<Record<string, unknown>> {
    const identity = this.identities.identity;
    const state = this.identities.localNodeState;
    if (!identity || state !== 'active') return this.local(notJoinedSwarmInfo(state === 'active' ? 'inactive' : state));
    if (identity.role !== 'manager') return this.local(joinedSwarmInfo(identity));
    return this.managerInfo(identity);
  }

  /** The control plane's view when it answers; otherwise what this node knows, without control. */
  private async managerInfo(identity: NodeIdentity): Promise<Record<string, unknown>> {
    try {
      const controlPlane = await this.manager.getJson('/info');
      if (typeof controlPlane === 'object' && controlPlane !== null) {
        return managerInfo(controlPlane as Record<string, unknown>, this.local({}), identity);
      }
    } catch (error) {
      this.logger.warn(`the control plane did not answer GET /info: ${(error as Error).message}`);
    }
    return this.local(joinedSwarmInfo(identity));
  }

  private local(swarm: Record<string, unknown>): Record<string, unknown> {
    return presentInfo(this.engine.description, this.engine.engineId, swarm);
  }
}
