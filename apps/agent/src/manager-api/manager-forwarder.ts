import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { AgentErrors } from '../agent-errors.js';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { IdentityStore } from '../identity-store/identity-store.js';
import { isControlPlaneRefusal, remoteError } from '../swarm-port-client/port-errors.js';
import { SwarmPortClient, type EngineCall } from '../swarm-port-client/swarm-port-client.js';

/** The control plane's answer to a forwarded call: status, content type, and the body as it streams (or read). */
export interface ForwardedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Readable | Buffer;
}

/**
 * A manager agent's way to the control plane: Engine API calls over the swarm port with its
 * manager certificate, answered as the gateway's Engine API answers them.
 */
@Injectable()
export class ManagerForwarder {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(SwarmPortClient) private readonly port: SwarmPortClient,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
  ) {}

  /**
   * The swarm port refusing our certificate means we are no manager (any more): the Engine's
   * worker answer, and a heartbeat now to learn the new role.
   */
  async forward(call: EngineCall): Promise<ForwardedAnswer> {
    const identity = this.identities.identity;
    if (!identity) throw new DomainError(SwarmErrors.notManager());
    const response = await this.port.forward(identity, call);
    const status = response.statusCode ?? 502;
    const contentType = String(response.headers['content-type'] ?? 'application/json');
    if (status !== 403) return { status, contentType, body: response };
    const body = await readAll(response);
    if (isControlPlaneRefusal(status, body.toString('utf8'))) {
      this.heartbeat.nudge();
      throw new DomainError(AgentErrors.workerNotManager());
    }
    return { status, contentType, body };
  }

  /** A GET whose JSON answer the agent reads itself (`/info`, `/nodes`). */
  async getJson(url: string): Promise<unknown> {
    const answer = await this.forward({ method: 'GET', url });
    const body = Buffer.isBuffer(answer.body) ? answer.body : await readAll(answer.body);
    if (answer.status !== 200) throw remoteError(answer.status, body.toString('utf8'));
    return JSON.parse(body.toString('utf8')) as unknown;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
