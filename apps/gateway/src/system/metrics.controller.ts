import { Controller, Get, Inject, Res } from '@nestjs/common';
import { renderMetrics } from '#observability';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service.js';

/** `GET /metrics`: Prometheus's text exposition format 0.0.4 (not part of the Engine API). */
@Controller()
export class MetricsController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    await this.health.updateProjectionGauges();
    const { contentType, body } = await renderMetrics();
    await reply.header('Content-Type', contentType).send(body);
  }
}
