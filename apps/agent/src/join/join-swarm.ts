import os from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, SwarmErrors, type JoinReply } from '#contracts';
import { generateNodeKeyAndCsr } from '#pki';
import { AGENT_OPTIONS, type AgentOptions } from '../agent-options.js';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { certificateFits } from '../identity-store/certificate-facts.js';
import { IdentityStore } from '../identity-store/identity-store.js';
import { SwarmPortClient } from '../swarm-port-client/swarm-port-client.js';
import { LocalEngine } from '../system/local-engine.js';
import { checkCaFingerprint } from './ca-fingerprint.js';
import { missingTokenError, planJoin, type JoinPlan } from './join-request.js';
import { nodeAddress } from './node-address.js';

/**
 * `docker swarm join`: check the request, fetch the root CA and check it against the token's
 * digest before anything else is sent, make a key and CSR, join over TLS verified against that
 * CA, keep the identity, start heartbeating.
 */
@Injectable()
export class JoinSwarm {
  private readonly logger = new Logger('Join');

  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
    @Inject(LocalEngine) private readonly engine: LocalEngine,
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
  ) {}

  async join(rawBody: unknown): Promise<void> {
    this.identities.beginJoin();
    try {
      await this.attempt(planJoin(rawBody));
    } finally {
      this.identities.endJoin();
    }
    this.heartbeat.start();
  }

  private async attempt(plan: JoinPlan): Promise<void> {
    const caPem = await this.whileUnreachable(() => this.port.rootCa(plan.remoteAddr));
    if (!plan.token) throw missingTokenError();
    checkCaFingerprint(caPem, plan.token.caDigestHex);
    const { keyPem, csrPem } = generateNodeKeyAndCsr();
    const reply = await this.port.join(
      plan.remoteAddr,
      {
        token: plan.token.text,
        csrPem,
        availability: plan.availability,
        ...(plan.advertiseAddr ? { advertiseAddr: plan.advertiseAddr } : {}),
        description: this.engine.description,
      },
      caPem,
    );
    checkReply(reply, keyPem, caPem);
    this.identities.saveJoined({
      nodeId: reply.nodeId,
      clusterId: reply.clusterId,
      role: reply.role,
      nodeAddr: nodeAddress(plan.advertiseAddr, os.networkInterfaces(), reply.nodeAddr),
      remoteAddr: plan.remoteAddr,
      managers: reply.managers,
      heartbeatPeriodMs: reply.heartbeatPeriodMs,
      keyPem,
      certPem: reply.certPem,
      caPem,
    });
    this.logger.log(`joined swarm ${reply.clusterId} as ${reply.role} ${reply.nodeId} through ${plan.remoteAddr}`);
  }

  /**
   * The first contact with the manager, retried while it cannot be reached (a manager starting
   * up, a port not yet open) until `--join-timeout`; then the last dial error, in the Engine's words.
   * Answers from a manager (a refused token, another CA) are final at once.
   */
  private async whileUnreachable<T>(contact: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.joinTimeoutMs;
    for (;;) {
      try {
        return await contact();
      } catch (error) {
        const unreachable = error instanceof DomainError && error.code === 'ManagerUnreachable';
        if (!unreachable || Date.now() + REDIAL_EVERY_MS > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, REDIAL_EVERY_MS));
      }
    }
  }
}

/** A manager that does not answer is dialled again, as the Engine does, until the join timeout. */
const REDIAL_EVERY_MS = 500;

/** A certificate for another key or from another CA would leave us with an identity that cannot work. */
function checkReply(reply: JoinReply, keyPem: string, caPem: string): void {
  if (!certificateFits(reply.certPem, keyPem, caPem)) {
    throw new DomainError(SwarmErrors.system('the manager answered the join with a certificate that does not fit the request'));
  }
}
