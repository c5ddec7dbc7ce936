import type { EventData } from '#contracts';
import type { RecordedEvent } from '#eventstore';
import { ingressPeerName, presentCluster, presentNetwork, presentNode } from '../read-model/presenters.js';
import { SwarmReadModel } from '../read-model/swarm-read-model.js';

/** Token fingerprints per cluster, as the log records them (the secrets stay sealed). */
type Fingerprints = Map<string, { worker: string; manager: string }>;

/**
 * The swarm, its nodes, networks and token fingerprints as they were after `events` (the log up
 * to a time or a position), built with the same read model and presenters as the live API, but
 * without opening a single secret.
 */
export function stateAt(events: Iterable<RecordedEvent>): Record<string, unknown> {
  const model = new SwarmReadModel(() => '[sealed]');
  const fingerprints: Fingerprints = new Map();
  let last: RecordedEvent | undefined;
  for (const event of events) {
    last = event;
    model.apply(event);
    recordFingerprint(fingerprints, event);
  }
  const clusterId = model.currentClusterId;
  const cluster = clusterId ? presentCluster(model, clusterId) : undefined;
  return {
    position: last?.position ?? 0,
    time: last?.time ?? null,
    swarm: cluster ? { ...cluster, JoinTokenFingerprints: fingerprints.get(clusterId!) ?? null } : null,
    nodes: clusterId ? [...model.nodes.values()].filter((n) => n.data.clusterId === clusterId).map((n) => presentNode(model, n)) : [],
    networks: clusterId ? [...model.networks.values()].filter((n) => n.data.clusterId === clusterId).map((n) => presentNetwork(n, ingressPeerName(model))) : [],
  };
}

function recordFingerprint(fingerprints: Fingerprints, event: RecordedEvent): void {
  if (event.type === 'JoinTokensIssued') {
    const data = event.data as EventData<'JoinTokensIssued'>;
    fingerprints.set(data.clusterId, { worker: data.workerFingerprint, manager: data.managerFingerprint });
  } else if (event.type === 'JoinTokenRotated') {
    const data = event.data as EventData<'JoinTokenRotated'>;
    const current = fingerprints.get(data.clusterId);
    if (current) fingerprints.set(data.clusterId, { ...current, [data.role]: data.fingerprint });
  }
}
