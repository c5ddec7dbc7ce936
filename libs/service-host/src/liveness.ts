import { Controller, Inject, Module, Optional, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { livenessSubject, type LivenessReply } from '#contracts';
import { KEK } from './infrastructure.module.js';
import type { KekHolder } from './kek-holder.js';

/**
 * `module` with a handler for the service's liveness subject (`health.<queueGroup>`): it answers
 * with the service name and PID and touches nothing else, so the gateway can tell "no replica is
 * running" (no responder) from "slow" (no answer in time) once a second at almost no cost.
 */
export function withLiveness(module: Type<unknown>, queueGroup: string): Type<unknown> {
  @Controller()
  class LivenessController {
    constructor(@Optional() @Inject(KEK) private readonly kek?: KekHolder) {}

    @MessagePattern(livenessSubject(queueGroup))
    alive(): LivenessReply {
      return { service: queueGroup, pid: process.pid, ...(this.kek?.locked ? { locked: true } : {}) };
    }
  }

  @Module({ imports: [module], controllers: [LivenessController] })
  class ServiceWithLiveness {}

  return ServiceWithLiveness;
}
