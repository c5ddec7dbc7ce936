import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, SwarmErrors } from '#contracts';
import { parseFilters } from '#engine-http';
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
    if (!this.readModel.model.currentClusterId) throw new DomainError(SwarmErrors.notManager());
    parseFilters(raw, SERVICE_FILTERS);
    return [];
  }
}
