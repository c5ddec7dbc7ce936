import { Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { DomainError, SwarmErrors, SwarmPortPaths } from '#contracts';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { IdentityStore } from '../identity/identity-store.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';

/** `POST /swarm/leave`: tell the manager (best effort), forget the identity. */
@Controller('swarm')
export class LeaveController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
  ) {}

  @Post('leave')
  @HttpCode(200)
  async leave(@Query('force') force: string | undefined): Promise<string> {
    const identity = this.identities.identity;
    if (!identity) throw new DomainError(SwarmErrors.notPartOfSwarm());
    const forced = force === '1' || force === 'true';
    if (identity.role === 'manager' && !forced) {
      const managers = Math.max(identity.managers.length, 2);
      throw new DomainError({
        code: 'LeaveManager',
        kind: 'Unavailable',
        message: `You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves ${managers - 1} managers out of ${managers}. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`,
      });
    }
    this.heartbeat.stop();
    const tls = { caPem: identity.caPem, keyPem: identity.keyPem, certPem: identity.certPem };
    await this.port.callAsNode(identity.remoteAddr, SwarmPortPaths.leave, {}, tls).catch(() => undefined);
    this.identities.clear();
    return '';
  }
}
