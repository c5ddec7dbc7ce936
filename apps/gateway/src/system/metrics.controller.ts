import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { renderMetrics } from '#observability';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service.js';

/** `GET /metrics`: Prometheus's text exposition format 0.0.4 (not part of the Engine API). */
@ApiTags('metrics')
@Controller()
export class MetricsController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get('metrics')
  @ApiOperation({ summary: "The gateway's Prometheus metrics (HTTP, RPC, event store, projections, read model lag)" })
  @ApiProduces('text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: "Prometheus's text exposition format 0.0.4" })
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    await this.health.updateProjectionGauges();
    const { contentType, body } = await renderMetrics();
    await reply.header('Content-Type', contentType).send(body);
  }
}
