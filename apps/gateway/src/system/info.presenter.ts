import { engineDescription, engineIdOf, presentEngineInfo } from '#engine-http';
import os from 'node:os';
import { SwarmErrors } from '#contracts';
import { describeAge, type TokenAgePolicy } from '#service-host';
import type { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentCluster } from '../read-model/presenters.js';

const INACTIVE_SWARM = { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null };

/** `docker info`'s Swarm section, as a manager reports it. */
export function presentSwarmInfo(model: SwarmReadModel, locked = false): Record<string, unknown> {
  const init = model.membership;
  if (!init) return INACTIVE_SWARM;
  if (locked && model.active) {
    // As a locked Engine answers: no node ID, no cluster, the unlock hint as the error.
    return { ...INACTIVE_SWARM, NodeAddr: init.advertiseHost, LocalNodeState: 'locked', Error: SwarmErrors.swarmLocked().message };
  }
  if (!model.active) {
    return { ...INACTIVE_SWARM, NodeID: init.nodeId, NodeAddr: init.advertiseHost, LocalNodeState: 'pending' };
  }
  const nodes = [...model.nodes.values()].filter((n) => n.data.clusterId === init.clusterId);
  const managers = nodes.filter((n) => n.data.role === 'manager');
  return {
    NodeID: init.nodeId,
    NodeAddr: init.advertiseHost,
    LocalNodeState: 'active',
    ControlAvailable: true,
    Error: '',
    RemoteManagers: managers.map((n) => ({ NodeID: n.data.nodeId, Addr: n.data.managerAddr ?? '' })),
    Nodes: nodes.length,
    Managers: managers.length,
    Cluster: presentCluster(model, init.clusterId),
  };
}

const ENGINE_ID = engineIdOf(`swarmplane:${os.hostname()}`);

/** `GET /info`: the shared engine facts (libs/engine-http) with the manager's Swarm section. */
export function presentInfo(model: SwarmReadModel, eventListeners: number, locked = false, policy?: TokenAgePolicy, nowMs = Date.now()): Record<string, unknown> {
  const warnings = policy && !locked ? tokenAgeWarnings(model, policy, nowMs) : [];
  return presentEngineInfo(engineDescription(), ENGINE_ID, presentSwarmInfo(model, locked), eventListeners, warnings);
}

/** One warning per join token older than SWARM_TOKEN_MAX_AGE (the seed's advice made a policy). */
export function tokenAgeWarnings(model: SwarmReadModel, policy: TokenAgePolicy, nowMs: number): string[] {
  const clusterId = model.currentClusterId;
  const since = clusterId ? model.tokensSince.get(clusterId) : undefined;
  if (!since) return [];
  return (['worker', 'manager'] as const).flatMap((role) => {
    const age = nowMs - Date.parse(since[role]);
    if (!(age >= policy.maxAgeMs)) return [];
    return [
      `WARNING: the swarm's ${role} join token was issued ${since[role]} and is older than the maximum age of ${describeAge(policy.maxAgeMs)} (SWARM_TOKEN_MAX_AGE): rotate it with "docker swarm join-token --rotate ${role}"`,
    ];
  });
}
