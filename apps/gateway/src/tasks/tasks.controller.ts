import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, SwarmErrors } from '#contracts';
import { findByIdNameOrPrefix } from '../read-model/lookup.js';
import { ReadModelService } from '../read-model/read-model.service.js';
import { parseFilters } from '#engine-http';
import { checkDesiredStates, checkTaskFilterKeys } from './task-query.js';

/**
 * `GET /tasks`: this control plane runs no services, so a swarm has no tasks and the list is empty
 * (`docker node ps` prints its empty table). The filters are checked as the Engine checks them,
 * and the ones that name objects are looked up as it looks them up: a node that does not exist is
 * `node <x> not found`, and every service is `service <x> not found` (there are none).
 */
@ApiExcludeController()
@Controller('tasks')
export class TasksController {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @Get()
  @Header('Content-Type', 'application/json')
  async list(@Query('filters') raw: string | undefined): Promise<never[]> {
    // The Engine's order: the router reads the filters, the cluster checks for a manager, then the
    // keys, the service and node lookups, and the desired states.
    const filters = parseFilters(raw, 'any keys');
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) throw new DomainError(SwarmErrors.notManager());
    checkTaskFilterKeys(filters);
    const [service] = filters.get('service') ?? [];
    if (service !== undefined) throw new DomainError(SwarmErrors.notFound(`service ${service} not found`));
    for (const node of filters.get('node') ?? []) {
      const found = await this.readModel.findAtHead(() =>
        findByIdNameOrPrefix(
          [...this.readModel.model.nodes.values()].filter((n) => n.data.clusterId === clusterId),
          node,
          (n) => n.data.nodeId,
          (n) => n.data.engine.hostname,
        ),
      );
      if (!found) throw new DomainError(SwarmErrors.notFound(`node ${node} not found`));
    }
    checkDesiredStates(filters);
    return [];
  }
}
