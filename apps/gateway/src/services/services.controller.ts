import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, SwarmErrors } from '#contracts';
import { checkFilterKeys, parseFilters } from '#engine-http';
import { ReadModelService } from '../read-model/read-model.service.js';

/** The keys `GET /services` takes (the daemon's `GetServices`; `mode` values are matched, not checked). */
const SERVICE_FILTERS = ['name', 'id', 'label', 'mode', 'runtime'] as const;

/**
 * `GET /services`: this control plane runs no services, so the list is empty (`docker service ls`
 * prints its empty table, `docker service ps <x>` says `no such service: <x>`). Creating a service
 * is not offered: `POST /services/create` stays an unknown route.
 */
@ApiExcludeController()
@Controller('services')
export class ServicesController {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @Get()
  @Header('Content-Type', 'application/json')
  list(@Query('filters') raw: string | undefined): never[] {
    // The Engine's order: the router reads the filters, then the manager check, then the keys.
    const filters = parseFilters(raw, 'any keys');
    if (!this.readModel.model.currentClusterId) throw new DomainError(SwarmErrors.notManager());
    checkFilterKeys(filters, SERVICE_FILTERS);
    return [];
  }
}
