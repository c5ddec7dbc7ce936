/** The swarm (cluster) spec as the Engine API shows it under `Spec` (API 1.41 shape). */
export interface SwarmSpec {
  readonly Name: string;
  readonly Labels: Record<string, string>;
  readonly Orchestration: { readonly TaskHistoryRetentionLimit?: number };
  readonly Raft: {
    readonly SnapshotInterval: number;
    readonly KeepOldSnapshots: number;
    readonly LogEntriesForSlowFollowers: number;
    readonly ElectionTick: number;
    readonly HeartbeatTick: number;
  };
  readonly Dispatcher: { readonly HeartbeatPeriod?: number };
  readonly CAConfig: { readonly NodeCertExpiry: number; readonly ForceRotate?: number };
  readonly TaskDefaults: Record<string, unknown>;
  readonly EncryptionConfig: { readonly AutoLockManagers: boolean };
}

/** What a client may send as `Spec`: every field optional, zero values meaning "default". */
export interface SwarmSpecInput {
  Name?: string;
  Labels?: Record<string, string> | null;
  Orchestration?: { TaskHistoryRetentionLimit?: number | null } | null;
  Raft?: Partial<SwarmSpec['Raft']> | null;
  Dispatcher?: { HeartbeatPeriod?: number | null } | null;
  CAConfig?: { NodeCertExpiry?: number | null; ForceRotate?: number | null } | null;
  TaskDefaults?: Record<string, unknown> | null;
  EncryptionConfig?: { AutoLockManagers?: boolean } | null;
}

export const NANOS_PER_SECOND = 1_000_000_000;
/** 90 days, Docker's default node certificate validity. */
export const DEFAULT_NODE_CERT_EXPIRY_NS = 2160 * 3600 * NANOS_PER_SECOND;
export const MIN_NODE_CERT_EXPIRY_NS = 3600 * NANOS_PER_SECOND;
export const DEFAULT_DATA_PATH_PORT = 4789;
export const DEFAULT_SUBNET_SIZE = 24;
export const DEFAULT_ADDR_POOL = '10.0.0.0/8';
export const DEFAULT_SWARM_PORT = 2377;

export function defaultSwarmSpec(): SwarmSpec {
  return {
    Name: 'default',
    Labels: {},
    Orchestration: { TaskHistoryRetentionLimit: 5 },
    Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
    Dispatcher: { HeartbeatPeriod: 5 * NANOS_PER_SECOND },
    CAConfig: { NodeCertExpiry: DEFAULT_NODE_CERT_EXPIRY_NS },
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  };
}

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain';
