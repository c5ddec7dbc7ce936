import type { EngineDescription } from '#contracts';
import { presentEngineInfo } from '#engine-http';
import type { LocalNodeState, NodeIdentity } from '../identity-store/identity-store.js';

/** `docker info`'s Swarm section of an engine that is not (or not yet) in a swarm. */
export function notJoinedSwarmInfo(state: Exclude<LocalNodeState, 'active'>): Record<string, unknown> {
  return { NodeID: '', NodeAddr: '', LocalNodeState: state, ControlAvailable: false, Error: '', RemoteManagers: null };
}

/**
 * The Swarm section of a joined node from what it knows itself: a worker's (no Nodes, Managers or
 * Cluster keys, as the Engine), or a manager's whose control plane did not answer.
 */
export function joinedSwarmInfo(identity: NodeIdentity): Record<string, unknown> {
  return {
    NodeID: identity.nodeId,
    NodeAddr: identity.nodeAddr,
    LocalNodeState: 'active',
    ControlAvailable: false,
    Error: '',
    RemoteManagers: identity.managers,
  };
}

/** The `Swarm` header of `/_ping`. */
export function pingSwarmHeader(state: LocalNodeState, identity: NodeIdentity | undefined): string {
  return state === 'active' && identity ? `active/${identity.role}` : state;
}

/** The facts of `GET /info` that are this machine's, not the control plane's. */
const MACHINE_KEYS = ['ID', 'Name', 'NCPU', 'MemTotal', 'KernelVersion', 'OperatingSystem', 'Architecture', 'SystemTime', 'ServerVersion'] as const;

/**
 * A manager agent's `GET /info`: the control plane's (cluster counts, RemoteManagers, Cluster),
 * with this machine's facts and this node's own NodeID, NodeAddr and ControlAvailable.
 */
export function managerInfo(controlPlane: Record<string, unknown>, local: Record<string, unknown>, identity: NodeIdentity): Record<string, unknown> {
  const swarm = (typeof controlPlane.Swarm === 'object' && controlPlane.Swarm !== null ? controlPlane.Swarm : {}) as Record<string, unknown>;
  const machine = Object.fromEntries(MACHINE_KEYS.map((key) => [key, local[key]]));
  return {
    ...controlPlane,
    ...machine,
    Swarm: { ...swarm, NodeID: identity.nodeId, NodeAddr: identity.nodeAddr, LocalNodeState: 'active', ControlAvailable: true, Error: '' },
  };
}

/** `GET /info` of this machine: the shared engine facts (libs/engine-http) with its Swarm section. */
export function presentInfo(engine: EngineDescription, engineId: string, swarm: Record<string, unknown>): Record<string, unknown> {
  return presentEngineInfo(engine, engineId, swarm);
}
