import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  SwarmErrors,
  issueText,
  validateInitSwarmRequest,
  Subjects,
  type EventData,
  type InitSwarmReply,
  type InitSwarmRequest,
} from '#contracts';
import { swarmIdFromBytes, validateSpec } from '#domain';
import { nowRfc3339, type EventStore } from '#eventstore';
import { HandlesRequest } from '#rpc';
import { EVENT_STORE } from '#service-host';
import { decideOnMembership } from '../membership/membership-command.js';
import { InitProcess } from './init-process.js';

/**
 * `swarm.init`: checks the request on its own (whoever sent it over NATS), claims the membership
 * stream (one winner among racing inits), then runs the init to its end, active or abandoned.
 */
@Controller()
export class InitSwarmHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(InitProcess) private readonly process: InitProcess,
  ) {}

  @HandlesRequest(Subjects.swarmInit)
  async init(@Payload() payload: unknown): Promise<InitSwarmReply> {
    const request = checkInitRequest(payload);
    const init: EventData<'SwarmInitStarted'> = {
      initId: randomUUID(),
      clusterId: swarmIdFromBytes(randomBytes(16)),
      nodeId: swarmIdFromBytes(randomBytes(16)),
      ingressNetworkId: swarmIdFromBytes(randomBytes(16)),
      listenAddr: request.listenAddr,
      advertiseHost: request.advertiseHost,
      advertisePort: request.advertisePort,
      dataPathPort: request.dataPathPort,
      defaultAddrPool: request.defaultAddrPool,
      subnetSize: request.subnetSize,
      spec: request.spec,
      availability: request.availability,
      engine: request.engine,
      startedAt: nowRfc3339(),
    };
    await decideOnMembership(this.store, { type: 'StartSwarmInit', init }, request.context);
    const position = await this.process.run(init, request.context);
    return { nodeId: init.nodeId, position };
  }
}

/**
 * The request by its schema, then the rules the steps would refuse it for, before the first event:
 * a refusal here writes nothing. The gateway checks the same in Docker's words; this holds without it.
 */
export function checkInitRequest(payload: unknown): InitSwarmRequest {
  const issue = validateInitSwarmRequest.issue(payload);
  if (issue) throw refused(issueText(issue));
  const request = payload as InitSwarmRequest;
  try {
    validateSpec(request.spec, 'init');
  } catch (error) {
    throw refused(error instanceof Error ? error.message : String(error));
  }
  return request;
}

function refused(detail: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(`invalid swarm init request: ${detail}`));
}
