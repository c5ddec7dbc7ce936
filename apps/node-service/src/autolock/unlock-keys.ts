import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ClusterEventTypes, DomainError, MembershipEventTypes, Streams, SwarmErrors } from '#contracts';
import { evolveCluster, evolveMembership, initialCluster, initialMembership, type UnlockKeyRecord } from '#domain';
import { loadStream, type EventStore } from '#eventstore';
import { generateUnlockKey, openSecret, sealSecret, secretFingerprint } from '#pki';
import { EVENT_STORE, KEK, KekHolder } from '#service-host';

const CLUSTER = { types: ClusterEventTypes, initialState: initialCluster, evolve: evolveCluster };
const MEMBERSHIP = { types: MembershipEventTypes, initialState: initialMembership, evolve: evolveMembership };

/**
 * The manager unlock key on node-service's side: a candidate made (and sealed) before each cluster
 * command, since the decider takes no randomness, and the KEK file kept in step with the cluster
 * stream after it (sealed under the recorded key while autolock is on, in clear once it is off).
 */
@Injectable()
export class UnlockKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger('autolock');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(KEK) private readonly kek: KekHolder) {}

  /**
   * At start (and when unlocked): a node-service that stopped between an append that issued or
   * removed a key and the file's rewrite leaves the file behind the log; this puts it in step.
   */
  onApplicationBootstrap(): void {
    const sync = (): void => void this.syncCurrentCluster().catch((error: unknown) => this.logger.warn(`key file not checked: ${String(error)}`));
    this.kek.onUnlock(sync);
    sync();
  }

  async syncCurrentCluster(): Promise<void> {
    if (this.kek.locked) return;
    const { state } = await loadStream(this.store, Streams.membership(), MEMBERSHIP);
    if (state.status === 'active') await this.syncKekFile(state.init.clusterId, false);
  }

  /** A fresh key, sealed under the KEK for the cluster's stream; the decider records it only when due. */
  candidate(clusterId: string, issuedAt: string): UnlockKeyRecord {
    const key = generateUnlockKey();
    const kek = this.kek.current();
    return { clusterId, sealedKey: sealSecret(key, kek, Streams.cluster(clusterId)), keyFingerprint: secretFingerprint(key, kek), issuedAt };
  }

  /** Refuses autolock when this manager's KEK cannot be sealed (SWARM_KEK): said so, nothing stored. */
  checkSealable(autolock: boolean | undefined): void {
    const why = autolock ? this.kek.whyNotSealable() : undefined;
    if (why) throw new DomainError(SwarmErrors.invalidParameter(`autolock is not available: ${why}`));
  }

  /**
   * Seals (or unseals) the KEK file to match the cluster stream as it now is. Idempotent, so it runs
   * after every cluster command, a retried one too, and once when node-service starts.
   */
  async syncKekFile(clusterId: string, log = true): Promise<void> {
    if (this.kek.locked || this.kek.whyNotSealable()) return;
    const { state } = await loadStream(this.store, Streams.cluster(clusterId), CLUSTER);
    if (!state.exists) return;
    const unlockKey = state.unlockKey ? openSecret(state.unlockKey.sealedKey, this.kek.current(), Streams.cluster(clusterId)) : undefined;
    // At start, a file already in clear without autolock is left as it is.
    if (!log && !unlockKey && !this.kek.sealedOnDisk()) return;
    this.kek.seal(unlockKey);
    if (log) this.logger.log(unlockKey ? 'the key-encryption key file is sealed under the unlock key (autolock on)' : 'the key-encryption key file is not sealed (autolock off)');
  }
}
