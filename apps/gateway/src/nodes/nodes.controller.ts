import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { findByIdNameOrPrefix } from '../read-model/lookup.js';
import { presentNode } from '../read-model/presenters.js';
import { ReadModelService } from '../read-model/read-model.service.js';

/** `GET /nodes`, `GET /nodes/{id}` (ID, hostname or ID prefix). */
@Controller('nodes')
export class NodesController {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @Get()
  @Header('Content-Type', 'application/json')
  list(): Record<string, unknown>[] {
    return this.currentNodes().map((node) => presentNode(this.readModel.model, node));
  }

  @Get(':id')
  @Header('Content-Type', 'application/json')
  inspect(@Param('id') id: string): Record<string, unknown> {
    const node = findByIdNameOrPrefix(this.currentNodes(), id, (n) => n.data.nodeId, (n) => n.data.engine.hostname);
    if (!node) throw new DomainError(SwarmErrors.notFound(`node ${id} not found`));
    return presentNode(this.readModel.model, node);
  }

  private currentNodes() {
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError(SwarmErrors.notManager());
    return [...this.readModel.model.nodes.values()].filter((n) => n.data.clusterId === clusterId);
  }
}
