import type { SwarmEvent } from '#contracts';
import type { RecordedEvent } from '#eventstore';
import { readSafely } from '#eventstore';
import { presentCluster, presentEach, presentNetwork, presentNode } from '../read-model/presenters.js';
import { SwarmReadModel } from '../read-model/swarm-read-model.js';

/** The name the audit state's replays record skipped events under. */
export const AUDIT_READER = 'audit state';

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
    // An event that does not match its schema is skipped (and listed by GET /audit/skipped-events).
    readSafely(AUDIT_READER, event, (e) => {
      model.apply(e);
      recordFingerprint(fingerprints, e);
    }, undefined);
  }
  const clusterId = model.currentClusterId;
  const cluster = clusterId ? presentCluster(model, clusterId) : undefined;
  return {
    position: last?.position ?? 0,
    time: last?.time ?? null,
    swarm: cluster ? { ...cluster, JoinTokenFingerprints: fingerprints.get(clusterId!) ?? null } : null,
    nodes: clusterId
      ? presentEach(model.nodes.values(), (n) => n.data.clusterId === clusterId, (n) => presentNode(model, n), (n) => `node ${String(n.data.nodeId)}`)
      : [],
    networks: clusterId
      ? presentEach(model.networks.values(), (n) => n.data.clusterId === clusterId, presentNetwork, (n) => `network ${String(n.data.networkId)}`)
      : [],
  };
}

function recordFingerprint(fingerprints: Fingerprints, event: SwarmEvent): void {
  if (event.type === 'JoinTokensIssued' || event.type === 'JoinTokensReissued') {
    const data = event.data;
    fingerprints.set(data.clusterId, { worker: data.workerFingerprint, manager: data.managerFingerprint });
  } else if (event.type === 'JoinTokenRotated') {
    const data = event.data;
    const current = fingerprints.get(data.clusterId);
    if (current) fingerprints.set(data.clusterId, { ...current, [data.role]: data.fingerprint });
  }
}
