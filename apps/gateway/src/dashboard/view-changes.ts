import type { SwarmEvent } from '#contracts';
import type { Recorded } from '#eventstore';
import type { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentNetworkRow, presentNodeRow, presentSwarmInfo, type TokenAges } from './present-view.js';
import type { ViewChange } from './view-types.js';

/**
 * What one applied event changes on the page: a part of the view, `everything` when the swarm
 * itself came or went (an init completed, a leave), or nothing (another cluster's event, an
 * event the page does not show).
 */
export function changeFor(model: SwarmReadModel, tokens: TokenAges, event: Recorded<SwarmEvent>): ViewChange | 'everything' | undefined {
  if (event.type === 'SwarmInitCompleted' || event.type === 'SwarmLeft') return 'everything';
  const clusterId = model.currentClusterId;
  if (!clusterId || event.data.clusterId !== clusterId) return undefined;
  const position = event.position;
  switch (event.type) {
    case 'SwarmCreated':
    case 'SwarmUpdated':
    case 'RootCaCreated':
    case 'RootRotationStarted':
    case 'RootRotationCompleted':
    case 'JoinTokensIssued':
    case 'JoinTokensReissued':
    case 'JoinTokenRotated':
      return { position, swarm: presentSwarmInfo(model, tokens) };
    case 'NodeRegistered':
    case 'NodeSpecUpdated':
    case 'NodeStatusChanged':
    case 'NodeCertificateIssued': {
      const node = model.nodes.get(event.data.nodeId);
      if (!node) return undefined;
      const row = presentNodeRow(model, node);
      return event.type === 'NodeStatusChanged' || event.type === 'NodeCertificateIssued'
        ? { position, node: row }
        : { position, node: row, swarm: presentSwarmInfo(model, tokens) };
    }
    case 'NodeRemoved':
      return { position, nodeRemoved: event.data.nodeId, swarm: presentSwarmInfo(model, tokens) };
    case 'NetworkCreated': {
      const network = model.networks.get(event.data.networkId);
      return network ? { position, network: presentNetworkRow(network) } : undefined;
    }
    case 'NetworkRemoved':
      return { position, networkRemoved: event.data.networkId };
    default:
      return undefined;
  }
}
