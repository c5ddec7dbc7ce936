import { decodeBody, lenientQueryBool, queryVersion, requestContext, strictQueryBool, SwarmInitBody, SwarmSpecBody, SwarmUnlockBody } from '#engine-http';
import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import {
  DomainError,
  Streams,
  Subjects,
  SwarmErrors,
  type UpdateSwarmRequest,
} from '#contracts';
import { sealSecret } from '#pki';
import { KEK, KekHolder } from '#service-host';
import { RPC_CLIENT, RpcClient } from '#rpc';
import type { FastifyRequest } from 'fastify';
import { presentSwarm } from '../read-model/presenters.js';
import { ReadModelService } from '../read-model/read-model.service.js';
import { checkExternalCAs, splitSigningCa } from './external-cas.js';
import { buildInitRequest } from './init-request.js';
import { SwarmPortServer } from '../swarm-port/swarm-port.server.js';
import { LockState } from './lock-state.js';

/** `/swarm`: init, inspect, update (version check, token rotation), leave. */
@ApiExcludeController()
@Controller('swarm')
export class SwarmController {
  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(SwarmPortServer) private readonly swarmPort: SwarmPortServer,
    @Inject(LockState) private readonly lock: LockState,
    @Inject(KEK) private readonly kek: KekHolder,
  ) {}

  @Post('init')
  @HttpCode(200)
  @Header('Content-Type', 'application/json')
  async init(@Req() request: FastifyRequest, @Body() body: unknown): Promise<string> {
    // At the head: an init abandoned a moment ago (SwarmInitAbandoned) may not have reached the model yet.
    if (this.readModel.model.membership && ((await this.readModel.readToHead()), this.readModel.model.membership)) {
      throw new DomainError(SwarmErrors.alreadyInSwarm());
    }
    const init = buildInitRequest(decodeBody(body, SwarmInitBody), requestContext(request), undefined, this.kek.whyNotSealable());
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

  /** `GET /swarm` as sent, kept until the model applies another event (the CLI reads it several times per command). */
  private inspected: { position: number; clusterId: string; json: string } | undefined;

  @Get()
  @Header('Content-Type', 'application/json')
  inspect(): string {
    const clusterId = this.readModel.model.currentClusterId;
    const position = this.readModel.position;
    const cached = this.inspected;
    if (cached && clusterId && cached.position === position && cached.clusterId === clusterId) return cached.json;
    const swarm = clusterId ? presentSwarm(this.readModel.model, clusterId) : undefined;
    if (!swarm || !clusterId) throw new DomainError(SwarmErrors.notManager());
    const json = `${JSON.stringify(swarm)}\n`;
    this.inspected = { position, clusterId, json };
    return json;
  }

  @Post('update')
  @HttpCode(200)
  async update(@Req() request: FastifyRequest, @Query() query: Record<string, string | undefined>, @Body() body: unknown): Promise<void> {
    // The Engine's order: body, version, then the three strict rotation flags.
    const spec = decodeBody(body, SwarmSpecBody);
    const version = queryVersion('swarm', query.version);
    // The daemon's own check, before swarmkit's "modification of cluster name is not allowed".
    if (spec.Name && spec.Name !== 'default') throw new DomainError(SwarmErrors.invalidParameter('swarm spec must be named "default"'));
    checkExternalCAs(spec.CAConfig?.ExternalCAs, 'update');
    const rotateWorkerToken = strictQueryBool('rotateWorkerToken', query.rotateWorkerToken);
    const rotateManagerToken = strictQueryBool('rotateManagerToken', query.rotateManagerToken);
    const rotateManagerUnlockKey = strictQueryBool('rotateManagerUnlockKey', query.rotateManagerUnlockKey);
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError(SwarmErrors.notManager());
    const { signingCa, spec: recordable } = splitSigningCa(spec, (keyPem) => sealSecret(keyPem, this.kek.current(), Streams.ca(clusterId)));
    const update: UpdateSwarmRequest = {
      context: requestContext(request),
      version,
      spec: recordable,
      rotateWorkerToken,
      rotateManagerToken,
      rotateManagerUnlockKey,
      ...(signingCa ? { signingCa } : {}),
    };
    const reply = await this.rpc.request(Subjects.swarmUpdate, update);
    await this.readModel.waitFor(reply.position);
  }

  @Post('leave')
  @HttpCode(200)
  async leave(@Req() request: FastifyRequest, @Query('force') force: string | undefined): Promise<void> {
    if (!this.readModel.model.membership) throw new DomainError(SwarmErrors.notPartOfSwarm());
    const locked = this.lock.locked;
    if (locked && !lenientQueryBool(force)) throw new DomainError(SwarmErrors.leaveLocked());
    const reply = await this.rpc.request(Subjects.swarmLeave, {
      context: requestContext(request),
      force: lenientQueryBool(force),
    });
    await this.readModel.waitFor(reply.position);
    if (locked) await this.lock.afterForcedLeave();
  }

  @Get('unlockkey')
  @Header('Content-Type', 'application/json')
  unlockKey(): Record<string, string> {
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError(SwarmErrors.notManager());
    return { UnlockKey: this.readModel.model.unlockKey(clusterId) };
  }

  /** The Engine's order: the body, then the state (not in a swarm, not locked), then the key. */
  @Post('unlock')
  @HttpCode(200)
  async unlock(@Body() body: unknown): Promise<string> {
    const { UnlockKey } = decodeBody(body, SwarmUnlockBody);
    if (!this.readModel.model.membership) throw new DomainError(SwarmErrors.notPartOfSwarm());
    await this.lock.unlock(UnlockKey ?? '');
    return '';
  }
}
