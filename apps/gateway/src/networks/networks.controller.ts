import { checkForJson, decodeBody, NetworkCreateBody, requestContext } from '#engine-http';
import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Optional, Param, Post, Query, Req } from '@nestjs/common';
import { LockState } from '../swarm/lock-state.js';
import {
  DomainError,
  Subjects,
  SwarmErrors,
  type EventData,
} from '#contracts';
import { RPC_CLIENT, RpcClient } from '#rpc';
import { NetworkSpaceCommands } from '#network-space';
import type { FastifyRequest } from 'fastify';
import { ingressPeerName, presentEach, presentNetwork, presentNetworkInspect } from '../read-model/presenters.js';
import { ReadModelService } from '../read-model/read-model.service.js';
import type { Versioned } from '../read-model/swarm-read-model.js';
import { buildCreateNetworkRequest } from './create-network.request.js';
import { networkListFilter, networkPruneFilter } from './network-query.js';

type Network = Versioned<EventData<'NetworkCreated'>>;

/** `/networks`: the swarm's overlay networks (create, list, inspect, remove, prune). */
@ApiExcludeController()
@Controller('networks')
export class NetworksController {
  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(NetworkSpaceCommands) private readonly networkSpace: NetworkSpaceCommands,
    @Optional() @Inject(LockState) private readonly lock?: LockState,
  ) {}

  @Get()
  @Header('Content-Type', 'application/json')
  list(@Query('filters') filters: string | undefined): Record<string, unknown>[] {
    // A locked manager lists its local networks only, as the Engine does: this engine has none.
    if (this.lock?.locked) return [];
    const matches = networkListFilter(filters);
    return presentEach(this.currentNetworks(), matches, presentNetwork, (network) => `network ${String(network.data.networkId)}`);
  }

  @Get(':id')
  @Header('Content-Type', 'application/json')
  async inspect(@Param('id') id: string): Promise<Record<string, unknown>> {
    return presentNetworkInspect(await this.find(id), this.peerName());
  }

  @Post('create')
  @HttpCode(201)
  @Header('Content-Type', 'application/json')
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<{ Id: string; Warning: string }> {
    checkForJson(request.headers['content-type'], body);
    const decoded = decodeBody(body, NetworkCreateBody);
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError({ ...SwarmErrors.notManager(), kind: 'System' });
    const create = buildCreateNetworkRequest(decoded, clusterId, requestContext(request));
    // Decided and appended here, on this process's own view of the cluster's network space, with
    // the stream's revision as the concurrency check (decision 0021): no NATS request to
    // ipam-service on the way. Answered once the store acknowledged the event and the read model
    // shows it, so that a list that follows finds it.
    const { networkId, position } = await this.networkSpace.create(create);
    await this.readModel.waitFor(position);
    return { Id: networkId, Warning: '' };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    const network = await this.find(id);
    const reply = await this.rpc.request(Subjects.networksRemove, {
      context: requestContext(request),
      clusterId: network.data.clusterId,
      networkId: network.data.networkId,
    });
    await this.readModel.waitFor(reply.position);
  }

  @Post('prune')
  @HttpCode(200)
  @Header('Content-Type', 'application/json')
  async prune(@Req() request: FastifyRequest, @Query('filters') filters: string | undefined): Promise<Record<string, unknown>> {
    const clusterId = this.readModel.model.currentClusterId;
    const matches = networkPruneFilter(filters, new Date());
    const candidates = this.currentNetworks().filter(matches);
    if (!clusterId || candidates.length === 0) return { NetworksDeleted: null };
    const reply = await this.rpc.request(Subjects.networksPrune, {
      context: requestContext(request),
      clusterId,
      networkIds: candidates.map((n) => n.data.networkId),
    });
    await this.readModel.waitFor(reply.position);
    return { NetworksDeleted: reply.removed.length > 0 ? reply.removed : null };
  }

  /** The Engine's rule: exact ID, exact name, then a unique ID prefix; "not found" only at the head of the log. */
  private async find(key: string): Promise<Network> {
    const found = await this.readModel.findAtHead(() => this.lookup(key));
    if (!found) throw new DomainError(SwarmErrors.notFound(`network ${key} not found`));
    return found;
  }

  private lookup(key: string): Network | undefined {
    const model = this.readModel.model;
    const clusterId = model.currentClusterId;
    const byId = model.networks.get(key);
    const byName = clusterId ? model.networks.get(model.networkIdsByName.get(`${clusterId}/${key}`) ?? '') : undefined;
    const found =
      (byId?.data.clusterId === clusterId ? byId : undefined) ??
      byName ??
      uniqueOrUndefined(this.currentNetworks().filter((n) => n.data.networkId.startsWith(key)));
    return found;
  }

  private currentNetworks(): Network[] {
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) return [];
    return [...this.readModel.model.networks.values()].filter((n) => n.data.clusterId === clusterId);
  }

  private peerName(): string {
    return ingressPeerName(this.readModel.model);
  }
}

function uniqueOrUndefined<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
