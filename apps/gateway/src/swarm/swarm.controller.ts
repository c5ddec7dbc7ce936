import { parseJsonBody, requestContext } from '#engine-http';
import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import {
  DomainError,
  Subjects,
  SwarmErrors,
  type UpdateSwarmRequest,
} from '#contracts';
import type { SwarmSpecInput } from '#domain';
import { RPC_CLIENT, RpcClient } from '#runtime';
import type { FastifyRequest } from 'fastify';
import { presentSwarm } from '../read-model/presenters.js';
import { ReadModelService } from '../read-model/read-model.service.js';
import { buildInitRequest, type InitBody } from './init-request.js';
import { SwarmPortServer } from '../swarm-port/swarm-port.server.js';

/** `/swarm`: init, inspect, update (version check, token rotation), leave. */
@Controller('swarm')
export class SwarmController {
  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(SwarmPortServer) private readonly swarmPort: SwarmPortServer,
  ) {}

  @Post('init')
  @HttpCode(200)
  @Header('Content-Type', 'application/json')
  async init(@Req() request: FastifyRequest, @Body() body: unknown): Promise<string> {
    // At the head: an init abandoned a moment ago (SwarmInitAbandoned) may not have reached the model yet.
    if (this.readModel.model.membership && ((await this.readModel.readToHead()), this.readModel.model.membership)) {
      throw new DomainError(SwarmErrors.alreadyInSwarm());
    }
    const init = buildInitRequest(parseJsonBody<InitBody>(body), requestContext(request));
    // The Engine listens on the swarm port before it creates anything: a port in use fails the init.
    await this.swarmPort.reserve(init.listenAddr);
    try {
      const reply = await this.rpc.request(Subjects.swarmInit, init);
      await this.readModel.waitFor(reply.position);
      return `${JSON.stringify(reply.nodeId)}\n`;
    } catch (error) {
      const lostRace = error instanceof DomainError && error.code === 'AlreadyInSwarm';
      if (!lostRace) {
        // A refused init may have been abandoned after its first event: show `inactive` before answering.
        await this.readModel.readToHead().catch(() => undefined);
        await this.swarmPort.release(init.listenAddr);
      }
      throw error;
    }
  }

  @Get()
  @Header('Content-Type', 'application/json')
  inspect(): Record<string, unknown> {
    const clusterId = this.readModel.model.currentClusterId;
    const swarm = clusterId ? presentSwarm(this.readModel.model, clusterId) : undefined;
    if (!swarm) throw new DomainError(SwarmErrors.notManager());
    return swarm;
  }

  @Post('update')
  @HttpCode(200)
  async update(@Req() request: FastifyRequest, @Query() query: Record<string, string | undefined>, @Body() body: unknown): Promise<string> {
    const version = query.version ?? '';
    if (!/^\d+$/.test(version)) {
      throw new DomainError(SwarmErrors.invalidParameter(`invalid swarm version '${version}': strconv.ParseUint: parsing ${JSON.stringify(version)}: invalid syntax`));
    }
    if (!this.readModel.model.currentClusterId) throw new DomainError(SwarmErrors.notManager());
    const update: UpdateSwarmRequest = {
      context: requestContext(request),
      version: Number(version),
      spec: parseJsonBody<SwarmSpecInput>(body),
      rotateWorkerToken: parseBool(query.rotateWorkerToken),
      rotateManagerToken: parseBool(query.rotateManagerToken),
      rotateManagerUnlockKey: parseBool(query.rotateManagerUnlockKey),
    };
    const reply = await this.rpc.request(Subjects.swarmUpdate, update);
    await this.readModel.waitFor(reply.position);
    return '';
  }

  @Post('leave')
  @HttpCode(200)
  async leave(@Req() request: FastifyRequest, @Query('force') force: string | undefined): Promise<string> {
    if (!this.readModel.model.membership) throw new DomainError(SwarmErrors.notPartOfSwarm());
    const reply = await this.rpc.request(Subjects.swarmLeave, {
      context: requestContext(request),
      force: parseBool(force),
    });
    await this.readModel.waitFor(reply.position);
    return '';
  }

  @Get('unlockkey')
  @Header('Content-Type', 'application/json')
  unlockKey(): Record<string, string> {
    if (!this.readModel.model.currentClusterId) throw new DomainError(SwarmErrors.notManager());
    return { UnlockKey: '' };
  }
}

/** Go's strconv.ParseBool, which the Engine uses for query flags; anything else is false. */
function parseBool(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}
