import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  Streams,
  Subjects,
  type EventData,
  type InitSwarmReply,
  type InitSwarmRequest,
  type MembershipEvent,
} from '#contracts';
import { decideMembership, evolveMembership, initialMembership, swarmIdFromBytes } from '#domain';
import { handleCommand, nowRfc3339, type EventStore } from '#eventstore';
import { EVENT_STORE, toNewEvent } from '#runtime';
import { InitProcess } from './init-process.js';

/** `swarm.init`: claims the membership stream (one winner among racing inits), then runs the init. */
@Controller()
export class InitSwarmHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(InitProcess) private readonly process: InitProcess,
  ) {}

  @MessagePattern(Subjects.swarmInit)
  async init(@Payload() request: InitSwarmRequest): Promise<InitSwarmReply> {
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
    await handleCommand({
      store: this.store,
      stream: Streams.membership(),
      initialState: initialMembership,
      evolve: (state, event) => evolveMembership(state, event as unknown as MembershipEvent),
      decide: (state) =>
        decideMembership({ type: 'StartSwarmInit', init }, state).map((event) => toNewEvent(event, request.context)),
    });
    const position = await this.process.complete(init, request.context);
    return { nodeId: init.nodeId, position };
  }
}
