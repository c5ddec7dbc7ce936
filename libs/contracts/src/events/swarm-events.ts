import type { SealedSecret } from './sealed.js';
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorKind } from '../errors/error-kind.js';
import type { NodeAvailability, SwarmSpec } from '../swarm/spec.js';
import type { EngineDescription } from '../swarm/requests.js';

/**
 * Stream `membership`: this manager's membership in a swarm (one per deployment).
 * Its revision decides races between concurrent inits.
 */
export interface SwarmInitStarted {
  readonly type: 'SwarmInitStarted';
  readonly data: {
    readonly initId: string;
    readonly clusterId: string;
    readonly nodeId: string;
    readonly ingressNetworkId: string;
    readonly listenAddr: string;
    readonly advertiseHost: string;
    readonly advertisePort: string;
    readonly dataPathPort: number;
    readonly defaultAddrPool: readonly string[] | null;
    readonly subnetSize: number;
    readonly spec: SwarmSpec;
    readonly availability: NodeAvailability;
    readonly engine: EngineDescription;
    readonly startedAt: string;
  };
}
export interface SwarmInitCompleted {
  readonly type: 'SwarmInitCompleted';
  readonly data: { readonly initId: string; readonly clusterId: string; readonly nodeId: string };
}
/**
 * An init that a step refused for good (bad input, a rule of ca-, token- or ipam-service): the
 * membership is inactive again and a new init may start. What the steps made for this cluster ID
 * (its CA, tokens, address space) stays in their streams, unreferenced: no cluster is current.
 */
export interface SwarmInitAbandoned {
  readonly type: 'SwarmInitAbandoned';
  readonly data: Static<typeof SwarmInitAbandonedDataSchema>;
}
/** Schema of `SwarmInitAbandoned`'s data (schema version 1). */
export const SwarmInitAbandonedDataSchema = Type.Object(
  {
    initId: Type.String({ minLength: 1, maxLength: 64 }),
    clusterId: Type.String({ minLength: 1, maxLength: 64 }),
    nodeId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The refusal that ended the init, as the step gave it (its code, kind and text). */
    reason: Type.Object(
      {
        code: Type.String({ minLength: 1, maxLength: 128 }),
        kind: Type.Unsafe<ErrorKind>(Type.String({ enum: ['InvalidParameter', 'Forbidden', 'NotFound', 'Conflict', 'System', 'Unavailable'] })),
        message: Type.String({ maxLength: 4096 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export interface SwarmLeft {
  readonly type: 'SwarmLeft';
  readonly data: { readonly clusterId: string; readonly nodeId: string; readonly force: boolean };
}
export type MembershipEvent = SwarmInitStarted | SwarmInitCompleted | SwarmInitAbandoned | SwarmLeft;

/** Stream `cluster-<clusterId>`: the cluster object; its revision is the cluster's `Version.Index`. */
export interface SwarmCreated {
  readonly type: 'SwarmCreated';
  readonly data: {
    readonly clusterId: string;
    readonly spec: SwarmSpec;
    /** As given at init: `null` when the request omitted it, `[]` when it sent none. */
    readonly defaultAddrPool: readonly string[] | null;
    readonly subnetSize: number;
    readonly dataPathPort: number;
    readonly createdAt: string;
  };
}
export interface SwarmUpdated {
  readonly type: 'SwarmUpdated';
  readonly data: {
    readonly clusterId: string;
    readonly spec: SwarmSpec;
    readonly rotateWorkerToken: boolean;
    readonly rotateManagerToken: boolean;
    readonly rotateManagerUnlockKey: boolean;
  };
}
/**
 * Autolock is on and this is the manager unlock key (`SWMKEY-1-...`), sealed under the KEK (AAD: the
 * cluster stream). The KEK file is sealed under the key itself (decision 0017). Follows the
 * `SwarmCreated` or `SwarmUpdated` that turned autolock on, or a `rotateManagerUnlockKey` update.
 */
export interface UnlockKeyIssued {
  readonly type: 'UnlockKeyIssued';
  readonly data: {
    readonly clusterId: string;
    readonly sealedKey: SealedSecret;
    /** Keyed HMAC of the key (`secretFingerprint`): tells keys apart in the audit, reveals nothing. */
    readonly keyFingerprint: string;
    readonly issuedAt: string;
  };
}
/** Autolock is off: no unlock key; the KEK file is no longer sealed. */
export interface UnlockKeyRemoved {
  readonly type: 'UnlockKeyRemoved';
  readonly data: { readonly clusterId: string };
}
export type ClusterEvent = SwarmCreated | SwarmUpdated | UnlockKeyIssued | UnlockKeyRemoved;

/** Stream `node-<nodeId>`; its revision is the node's `Version.Index`. */
export interface NodeRegistered {
  readonly type: 'NodeRegistered';
  readonly data: {
    readonly nodeId: string;
    readonly clusterId: string;
    readonly role: 'manager' | 'worker';
    readonly availability: NodeAvailability;
    readonly labels: Record<string, string>;
    readonly addr: string;
    /** host:port of the manager's swarm port; absent for workers. */
    readonly managerAddr?: string;
    readonly leader: boolean;
    readonly engine: EngineDescription;
    readonly registeredAt: string;
  };
}
/** `docker node update`, promote, demote: the spec as it now is. */
export interface NodeSpecUpdated {
  readonly type: 'NodeSpecUpdated';
  readonly data: {
    readonly nodeId: string;
    readonly clusterId: string;
    readonly role: 'manager' | 'worker';
    readonly availability: NodeAvailability;
    readonly labels: Record<string, string>;
    /** Where a promoted node's manager address is (its address and the swarm port). */
    readonly managerAddr?: string;
  };
}
/** Heartbeats stopped (`down`, "heartbeat failure") or came back (`ready`). */
export interface NodeStatusChanged {
  readonly type: 'NodeStatusChanged';
  readonly data: {
    readonly nodeId: string;
    readonly clusterId: string;
    readonly state: 'ready' | 'down';
    readonly message: string;
  };
}
export interface NodeRemoved {
  readonly type: 'NodeRemoved';
  readonly data: { readonly nodeId: string; readonly clusterId: string; readonly force: boolean };
}
export type NodeEvent = NodeRegistered | NodeSpecUpdated | NodeStatusChanged | NodeRemoved;
