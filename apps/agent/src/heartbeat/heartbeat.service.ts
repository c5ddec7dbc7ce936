import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HeartbeatReply, NodeRole } from '#contracts';
import { generateNodeKeyAndCsr } from '#pki';
import { certificateFacts, certificateFits } from '../identity-store/certificate-facts.js';
import { IdentityStore, type NodeIdentity } from '../identity-store/identity-store.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';
import { HeartbeatLog } from './heartbeat-log.js';
import { renewalDue, renewalReason } from './renewal.js';

const MIN_PERIOD_MS = 100;

type RenewalCause = 'role' | 'expiry' | NonNullable<HeartbeatReply['renew']>;
const RENEWAL_CAUSES: Record<RenewalCause, (role: NodeRole) => string> = {
  role: (role) => `for the new role ${role}`,
  expiry: () => 'it was due',
  rotation: () => 'the swarm is rotating its root CA',
  'expiry-changed': () => 'the swarm changed its certificate expiry',
};

/**
 * While the node is joined (after a join, or from the data dir at start): a heartbeat over mutual
 * TLS every period the manager names; a renewal (new key and CSR) when the manager reports another
 * role than the certificate's, and at a random point between 50% and 80% of its validity.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeat');
  private readonly log = new HeartbeatLog();
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by each start and stop: a beat of an older run schedules nothing. */
  private run = 0;
  private beating = false;
  /** When the current certificate is due for renewal, drawn once per certificate. */
  private due: { certPem: string; atMs: number } | undefined;

  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.identities.identity) this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Beats now, then every period, while an identity is there. */
  start(): void {
    this.stop();
    void this.loop(this.run);
  }

  /** A beat as soon as possible (e.g. the control plane refused our certificate: our role may have changed). */
  nudge(): void {
    if (this.identities.identity && !this.beating) this.start();
  }

  stop(): void {
    this.run++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async loop(run: number): Promise<void> {
    const identity = this.identities.identity;
    if (run !== this.run || !identity) return;
    this.beating = true;
    try {
      await this.beat(identity);
    } finally {
      this.beating = false;
    }
    const next = this.identities.identity;
    if (run !== this.run || !next) return;
    this.timer = setTimeout(() => void this.loop(run), Math.max(MIN_PERIOD_MS, next.heartbeatPeriodMs));
  }

  private async beat(identity: NodeIdentity): Promise<void> {
    let reportedRole: NodeRole;
    let renewNow: HeartbeatReply['renew'];
    try {
      const reply = await this.port.heartbeat(identity);
      this.identities.recordHeartbeat(identity.nodeId, reply.managers, reply.heartbeatPeriodMs);
      reportedRole = reply.role;
      renewNow = reply.renew;
      // The reply came over TLS verified with the root we hold: a new trust root from it is the swarm's.
      if (reply.trustRootPem && this.identities.recordRoots(identity.nodeId, reply.trustRootPem, reply.rotationRootPem)) {
        this.logger.log('the swarm has a new root CA (a root rotation ended): trusting it from now on');
      }
      this.note(this.log.succeeded());
    } catch (error) {
      this.note(this.log.failed('heartbeat', error), 'warn');
      return;
    }
    const facts = certificateFacts(identity.certPem);
    if (this.due?.certPem !== identity.certPem) this.due = { certPem: identity.certPem, atMs: renewalDue(facts.notBeforeMs, facts.notAfterMs, Math.random()) };
    const reason = renewNow ?? renewalReason({ certificateRole: facts.role, reportedRole, nowMs: Date.now(), dueMs: this.due.atMs });
    if (!reason) return;
    try {
      await this.renew(this.identities.identity ?? identity, reason);
    } catch (error) {
      this.note(this.log.failed('renewal', error), 'warn');
    }
  }

  private async renew(identity: NodeIdentity, reason: RenewalCause): Promise<void> {
    const { keyPem, csrPem } = generateNodeKeyAndCsr();
    const renewed = await this.port.renew(identity, csrPem);
    if (!certificateFits(renewed.certPem, keyPem, `${identity.caPem}${identity.pendingRootPem ?? ''}`)) throw new Error('the manager renewed with a certificate that does not fit the request');
    // Kept unless the node left meanwhile (the store checks the node ID).
    const saved = this.identities.replaceCertificate(identity.nodeId, keyPem, renewed.certPem);
    if (!saved) return;
    const until = new Date(certificateFacts(saved.certPem).notAfterMs).toISOString();
    this.logger.log(`certificate renewed (${RENEWAL_CAUSES[reason](saved.role)}), valid until ${until}`);
  }

  private note(line: string | undefined, level: 'log' | 'warn' = 'log'): void {
    if (line) this.logger[level](line);
  }
}
