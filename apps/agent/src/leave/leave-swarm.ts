import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { AgentErrors } from '../agent-errors.js';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { IdentityStore, type NodeIdentity } from '../identity-store/identity-store.js';
import { ManagerForwarder } from '../manager-api/manager-forwarder.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';
import { managerLeaveMessage, managerStats, type ManagerStats } from './manager-leave.js';

/**
 * `docker swarm leave`: a manager needs `--force` (the Engine's wording from the managers'
 * reachability); then the manager is told (best effort: a removed node leaves too) and the
 * identity is forgotten.
 */
@Injectable()
export class LeaveSwarm {
  private readonly logger = new Logger('Leave');

  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
  ) {}

  async leave(force: boolean): Promise<void> {
    const identity = this.identities.identity;
    if (!identity) throw new DomainError(SwarmErrors.notPartOfSwarm());
    if (identity.role === 'manager' && !force) {
      throw new DomainError(AgentErrors.leaveManager(managerLeaveMessage(await this.managerStats(identity))));
    }
    this.heartbeat.stop();
    try {
      await this.port.leave(identity);
    } catch (error) {
      this.logger.warn(`the manager was not told of the leave: ${(error as Error).message}`);
    }
    this.identities.clear();
    this.logger.log(`left swarm ${identity.clusterId} (node ${identity.nodeId})`);
  }

  private async managerStats(identity: NodeIdentity): Promise<ManagerStats | 'no-control' | undefined> {
    try {
      return managerStats(await this.manager.getJson('/nodes'), identity.nodeId);
    } catch (error) {
      return error instanceof DomainError && error.kind === 'Unavailable' ? 'no-control' : undefined;
    }
  }
}
