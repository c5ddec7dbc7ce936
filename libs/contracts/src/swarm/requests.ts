import type { SealedSecret } from '../events/sealed.js';
import type { NodeAvailability, SwarmSpec, SwarmSpecInput } from './spec.js';

/** Who asks and why; copied into the metadata of every event the request causes. */
export interface RequestContext {
  readonly correlationId: string;
  readonly actor: string;
  readonly causationId?: string;
}

/** Engine facts about the machine the manager runs on, as `docker info` and node objects show them. */
export interface EngineDescription {
  readonly hostname: string;
  readonly engineVersion: string;
  readonly architecture: string;
  readonly os: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
}

/** `swarm.init`: already validated and resolved by the gateway (addresses, pools, spec). */
export interface InitSwarmRequest {
  readonly context: RequestContext;
  readonly listenAddr: string; // host:port
  readonly advertiseHost: string;
  readonly advertisePort: string;
  readonly dataPathPort: number;
  /**
   * Pools as given (masked). `null`: the request omitted them (shown as 10.0.0.0/8, size 24);
   * `[]`: the client sent none (shown as null with the size it sent), as the Engine reports them.
   */
  readonly defaultAddrPool: readonly string[] | null;
  /** The size to show; allocation uses 24 whenever there is no pool. */
  readonly subnetSize: number;
  readonly spec: SwarmSpec;
  readonly availability: NodeAvailability;
  readonly engine: EngineDescription;
}

export interface InitSwarmReply {
  readonly nodeId: string;
  readonly position: number;
}

/** `swarm.update`: `version` is the cluster's `Version.Index` the caller read. */
export interface UpdateSwarmRequest {
  readonly context: RequestContext;
  readonly version: number;
  /** The spec the client sent; zero values keep the current ones. */
  readonly spec: SwarmSpecInput;
  readonly rotateWorkerToken: boolean;
  readonly rotateManagerToken: boolean;
  readonly rotateManagerUnlockKey: boolean;
  /**
   * `Spec.CAConfig.SigningCACert`/`SigningCAKey` (`docker swarm ca --rotate --ca-cert --ca-key`):
   * a root to rotate to. Never part of the recorded spec; the key arrives sealed (see
   * `RotateRootCaRequest`). `keyMissing`: a cert came without a key (refused: no external CA).
   */
  readonly signingCa?: { readonly certPem: string; readonly sealedKey?: SealedSecret };
}

export interface LeaveSwarmRequest {
  readonly context: RequestContext;
  readonly force: boolean;
}

/** Every command reply carries the global position of its last event (read your writes). */
export interface PositionReply {
  readonly position: number;
}
