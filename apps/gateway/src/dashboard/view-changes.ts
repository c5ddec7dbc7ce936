import type { RecordedEvent } from '#eventstore';
import type { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentNetworkRow, presentNodeRow, presentSwarmInfo, type TokenAges } from './present-view.js';
import type { ViewChange } from './view-types.js';

const SWARM_EVENTS = new Set(['SwarmCreated', 'SwarmUpdated', 'RootCaCreated', 'JoinTokensIssued', 'JoinTokenRotated']);
const NODE_EVENTS = new Set(['NodeRegistered', 'NodeSpecUpdated', 'NodeStatusChanged', 'NodeCertificateIssued']);

/**
 * What one applied event changes on the page: a part of the view, `everything` when the swarm
 * itself came or went (an init completed, a leave), or nothing (another cluster's event, an
 * event the page does not show).
 */
export function changeFor(model: SwarmReadModel, tokens: TokenAges, event: RecordedEvent): ViewChange | 'everything' | undefined {
  if (event.type === 'SwarmInitCompleted' || event.type === 'SwarmLeft') return 'everything';
  const clusterId = model.currentClusterId;
  const data = event.data as { clusterId?: string; nodeId?: string; networkId?: string };
  if (!clusterId || data.clusterId !== clusterId) return undefined;
  const position = event.position;
  if (SWARM_EVENTS.has(event.type)) return { position, swarm: presentSwarmInfo(model, tokens) };
  if (NODE_EVENTS.has(event.type)) {
    const node = data.nodeId ? model.nodes.get(data.nodeId) : undefined;
    if (!node) return undefined;
    const row = presentNodeRow(model, node);
    return event.type === 'NodeStatusChanged' || event.type === 'NodeCertificateIssued'
      ? { position, node: row }
      : { position, node: row, swarm: presentSwarmInfo(model, tokens) };
  }
  if (event.type === 'NodeRemoved') return { position, nodeRemoved: data.nodeId!, swarm: presentSwarmInfo(model, tokens) };
  if (event.type === 'NetworkCreated') {
    const network = data.networkId ? model.networks.get(data.networkId) : undefined;
    return network ? { position, network: presentNetworkRow(network) } : undefined;
  }
  if (event.type === 'NetworkRemoved') return { position, networkRemoved: data.networkId! };
  return undefined;
}
