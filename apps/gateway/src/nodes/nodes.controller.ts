import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { decodeBody, lenientQueryBool, NodeSpecBody, queryVersion, requestContext } from '#engine-http';
import { DomainError, Subjects, SwarmErrors } from '#contracts';
import { RPC_CLIENT, RpcClient } from '#rpc';
import type { FastifyRequest } from 'fastify';
import { parseAvailability, parseRole } from '#domain';
import { findByIdNameOrPrefix } from '../read-model/lookup.js';
import { presentEach, presentNode } from '../read-model/presenters.js';
import { nodeListFilter } from './node-query.js';
import { ReadModelService } from '../read-model/read-model.service.js';

/** `GET /nodes`, `GET /nodes/{id}` (ID, hostname or ID prefix). */
@ApiExcludeController()
@Controller('nodes')
export class NodesController {
  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
  ) {}

  @Get()
  @Header('Content-Type', 'application/json')
  list(@Query('filters') filters: string | undefined): Record<string, unknown>[] {
    const matches = nodeListFilter(filters);
    const model = this.readModel.model;
    return presentEach(this.currentNodes(), matches, (node) => presentNode(model, node), (node) => `node ${String(node.data.nodeId)}`);
  }

  @Get(':id')
  @Header('Content-Type', 'application/json')
  async inspect(@Param('id') id: string): Promise<Record<string, unknown>> {
    return presentNode(this.readModel.model, await this.find(id));
  }

  /** `docker node update|promote|demote`: `version` is the node's Version.Index the client read. */
  @Post(':id/update')
  @HttpCode(200)
  async update(@Req() request: FastifyRequest, @Param('id') id: string, @Query('version') version: string | undefined, @Body() body: unknown): Promise<void> {
    // The Engine's order: body, version, then the lookup.
    const spec = decodeBody(body, NodeSpecBody);
    const parsedVersion = queryVersion('node', version);
    const role = spec.Role === undefined ? undefined : parseRole(spec.Role);
    const availability = spec.Availability === undefined ? undefined : parseAvailability(spec.Availability);
    const node = await this.find(id);
    const reply = await this.rpc.request(Subjects.nodesUpdate, {
      context: requestContext(request),
      nodeId: node.data.nodeId,
      version: parsedVersion,
      role: role ?? node.data.role,
      availability: availability ?? node.data.availability,
      labels: (spec.Labels ?? {}) as Record<string, string>,
    });
    await this.readModel.waitFor(reply.position);
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Req() request: FastifyRequest, @Param('id') id: string, @Query('force') force: string | undefined): Promise<void> {
    const node = await this.find(id);
    const reply = await this.rpc.request(Subjects.nodesRemove, {
      context: requestContext(request),
      nodeId: node.data.nodeId,
      force: lenientQueryBool(force),
    });
    await this.readModel.waitFor(reply.position);
  }

  /** Docker's lookup; "not found" only once this replica's model has read up to the head of the log. */
  private async find(id: string) {
    const node = await this.readModel.findAtHead(() => findByIdNameOrPrefix(this.currentNodes(), id, (n) => n.data.nodeId, (n) => n.data.engine.hostname));
    if (!node) throw new DomainError(SwarmErrors.notFound(`node ${id} not found`));
    return node;
  }

  private currentNodes() {
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError(SwarmErrors.notManager());
    return [...this.readModel.model.nodes.values()].filter((n) => n.data.clusterId === clusterId);
  }
}
