import type { NodeRole, RemoteManager } from '#contracts';

/** The state file of a joined node (`swarm-state.json` in the data dir), schema version 1. */
export interface NodeState {
  readonly version: 1;
  readonly nodeId: string;
  readonly clusterId: string;
  /** The role of the current certificate. */
  readonly role: NodeRole;
  /** The node's address as `docker info` shows it (`NodeAddr`). */
  readonly nodeAddr: string;
  /** host:port of the manager's swarm port the node joined through and talks to. */
  readonly remoteAddr: string;
  readonly managers: readonly RemoteManager[];
  readonly heartbeatPeriodMs: number;
  /** The key and certificate files are `swarm-node-<certGeneration>.key|.crt`; each renewal writes the next. */
  readonly certGeneration: number;
}

/** Reads a state file's JSON; throws naming the first field that is wrong. */
export function parseNodeState(value: unknown): NodeState {
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.version !== 1) throw new Error(`unknown version ${JSON.stringify(v.version)}`);
  const text = (key: string): string => {
    if (typeof v[key] !== 'string' || v[key] === '') throw new Error(`${key} is not a non-empty string`);
    return v[key];
  };
  const count = (key: string): number => {
    if (typeof v[key] !== 'number' || !Number.isInteger(v[key]) || v[key] <= 0) throw new Error(`${key} is not a positive integer`);
    return v[key];
  };
  const nodeId = text('nodeId');
  const clusterId = text('clusterId');
  const role = text('role');
  if (role !== 'manager' && role !== 'worker') throw new Error(`role ${role} is neither manager nor worker`);
  return {
    version: 1,
    nodeId,
    clusterId,
    role,
    nodeAddr: text('nodeAddr'),
    remoteAddr: text('remoteAddr'),
    managers: parseManagers(v.managers),
    heartbeatPeriodMs: count('heartbeatPeriodMs'),
    certGeneration: count('certGeneration'),
  };
}

function parseManagers(value: unknown): RemoteManager[] {
  if (!Array.isArray(value)) throw new Error('managers is not a list');
  return value.map((m: unknown) => {
    const entry = (m ?? {}) as Record<string, unknown>;
    if (typeof entry.NodeID !== 'string' || typeof entry.Addr !== 'string') throw new Error('managers holds an entry without NodeID and Addr');
    return { NodeID: entry.NodeID, Addr: entry.Addr };
  });
}

export function sameManagers(a: readonly RemoteManager[], b: readonly RemoteManager[]): boolean {
  return a.length === b.length && a.every((m, i) => m.NodeID === b[i]?.NodeID && m.Addr === b[i]?.Addr);
}
