import { createHash } from 'node:crypto';
import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { findByIdNameOrPrefix } from '../read-model/lookup.js';
import { presentNetwork } from '../read-model/presenters.js';
import { ReadModelService } from '../read-model/read-model.service.js';

/** Read-only `GET /networks` and `GET /networks/{id}` for the swarm's overlay networks. */
@Controller('networks')
export class NetworksController {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @Get()
  @Header('Content-Type', 'application/json')
  list(): Record<string, unknown>[] {
    return this.currentNetworks().map((network) => presentNetwork(network, this.peerName()));
  }

  @Get(':id')
  @Header('Content-Type', 'application/json')
  inspect(@Param('id') id: string): Record<string, unknown> {
    const network = findByIdNameOrPrefix(this.currentNetworks(), id, (n) => n.data.networkId, (n) => n.data.name);
    if (!network) throw new DomainError(SwarmErrors.notFound(`network ${id} not found`));
    return presentNetwork(network, this.peerName());
  }

  private currentNetworks() {
    const clusterId = this.readModel.model.currentClusterId;
    if (!clusterId) return [];
    return [...this.readModel.model.networks.values()].filter((n) => n.data.clusterId === clusterId);
  }

  /** The manager's peer entry on ingress: 12 hex characters derived from its node ID. */
  private peerName(): string {
    const nodeId = this.readModel.model.membership?.nodeId ?? '';
    return createHash('sha256').update(nodeId).digest('hex').slice(0, 12);
  }
}
