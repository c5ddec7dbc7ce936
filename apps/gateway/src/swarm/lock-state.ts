import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, KEK_REPLACED_BROADCAST_SUBJECT, SwarmErrors, UNLOCK_BROADCAST_SUBJECT, type UnlockBroadcast } from '#contracts';
import { KEK, KekHolder } from '#service-host';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { HealthService } from '../system/health.service.js';

/** How many times the services are probed after an unlock is passed on, before the answer. */
const UNLOCK_CONFIRMATIONS = 20;

/**
 * Whether this manager is locked (autolock): the gateway's own KEK is sealed, or a service reported
 * that its own is (a process restarted under autolock starts locked, as a restarted dockerd does).
 */
@Injectable()
export class LockState {
  private readonly logger = new Logger('autolock');

  constructor(
    @Inject(KEK) private readonly kek: KekHolder,
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  get locked(): boolean {
    return this.kek.locked || this.health.locked().length > 0;
  }

  /** The Engine's 503 while locked. */
  assertUnlocked(): void {
    if (this.locked) throw new DomainError(SwarmErrors.swarmLocked());
  }

  /**
   * After a forced leave of a locked manager: a new KEK in clear (the Engine empties its swarm
   * directory, key included), read by every locked process, so that a new swarm can be made.
   */
  async afterForcedLeave(): Promise<void> {
    if (!this.locked) return;
    this.kek.replaceLockedKey();
    await this.rpc.publishToAll(KEK_REPLACED_BROADCAST_SUBJECT, {});
    for (let attempt = 0; attempt < UNLOCK_CONFIRMATIONS && this.health.locked().length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await this.health.probeNow();
    }
    this.logger.warn('a locked manager left its swarm with --force: the key-encryption key was replaced by a new one');
  }

  /**
   * `POST /swarm/unlock` once the body is read: 409 when not locked, the key checked against this
   * process's sealed file (400 malformed, 401 wrong), then passed on to every process that holds
   * the KEK; answers when none reports itself locked any more.
   */
  async unlock(unlockKey: string): Promise<void> {
    if (!this.locked) throw new DomainError(SwarmErrors.notLocked());
    this.kek.checkUnlockKey(unlockKey);
    this.kek.unlock(unlockKey);
    const message: UnlockBroadcast = { unlockKey };
    await this.rpc.publishToAll(UNLOCK_BROADCAST_SUBJECT, message);
    for (let attempt = 0; attempt < UNLOCK_CONFIRMATIONS && this.health.locked().length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await this.health.probeNow();
    }
    const still = this.health.locked();
    if (still.length > 0) this.logger.warn(`unlocked, but ${still.join(', ')} still report(s) locked`);
  }
}
