import {
  DEFAULT_DATA_PATH_PORT,
  DEFAULT_SUBNET_SIZE,
  DomainError,
  MIN_NODE_CERT_EXPIRY_NS,
  SwarmErrors,
  SwarmSpecData,
  compileSchema,
  defaultSwarmSpec,
  type SwarmSpec,
  type SwarmSpecInput,
} from '#contracts';

export type { SwarmSpecInput };

/** What the log can hold of a spec (the events' schema): a value the Engine takes but no event can store is refused here. */
const storableSpec = compileSchema(SwarmSpecData);
import { parseCidr } from '../net/cidr.js';
import { isIpv6Literal, parseIpv4Prefix } from '../net/ipv4.js';
import { refuseUnhonouredChanges } from './unhonoured-fields.js';

/** `DataPathPort`: 0 means 4789; otherwise 1024-49151 (Docker's message, HTTP 500). */
export function validateDataPathPort(port: number): number {
  if (port === 0) return DEFAULT_DATA_PATH_PORT;
  if (port < 1024 || port > 49151) {
    throw new DomainError(SwarmErrors.system(`Datapath port number is not in valid range (1024-49151) : ${port}`));
  }
  return port;
}

export interface AddressPools {
  /** Pools as stored: empty when none were given (then the default 10.0.0.0/8 applies). */
  readonly pools: readonly string[];
  readonly subnetSize: number;
}

/**
 * `DefaultAddrPool` and `SubnetSize`, with Docker's checks and messages (HTTP 500). Departures, as
 * the README says: a size of 0 with pools is taken as 24 (Docker leaves ingress without a subnet),
 * and IPv6 pools are refused (Docker accepts them and leaves ingress without a subnet).
 */
export function validateAddressPools(pools: readonly string[], subnetSize: number): AddressPools {
  const given = pools.map((p) => p.trim()).filter((p) => p !== '');
  if (given.length === 0) {
    if (subnetSize > 29) throw new DomainError(SwarmErrors.system(`subnet size is out of range: ${subnetSize}`));
    return { pools: [], subnetSize: DEFAULT_SUBNET_SIZE };
  }
  const size = subnetSize === 0 ? DEFAULT_SUBNET_SIZE : subnetSize;
  if (size > 29) throw new DomainError(SwarmErrors.system(`subnet size is out of range: ${size}`));
  const normalised = given.map((pool) => {
    if (isIpv6Literal(pool)) {
      throw new DomainError(
        SwarmErrors.invalidParameter(`invalid base pool ${pool}: IPv6 address pools are not supported`),
      );
    }
    const prefix = parseCidr(pool);
    if (!prefix) throw new DomainError(SwarmErrors.system(`invalid base pool ${pool}: invalid CIDR address: ${pool}`));
    if (size < prefix.bits) {
      throw new DomainError(SwarmErrors.system(`invalid CIDR: "${pool}". Subnet size is too small for pool: ${size}`));
    }
    return pool;
  });
  return { pools: normalised, subnetSize: size };
}

/** The spec a swarm starts with: Docker's defaults overlaid with what the request set. */
export function initialSpec(requested: Partial<SwarmSpecInput> | undefined): SwarmSpec {
  const base = defaultSwarmSpec();
  const spec = mergeSpec(base, requested ?? {});
  validateSpec(spec, 'init');
  refuseUnhonouredChanges(base, spec);
  return spec;
}

/** Fields the client leaves at zero keep the current value, as swarmkit merges an init spec. */
export function mergeSpec(current: SwarmSpec, input: SwarmSpecInput): SwarmSpec {
  const nonZero = (value: number | null | undefined, fallback: number): number => (value ? value : fallback);
  const raft = input.Raft ?? {};
  return {
    Name: input.Name || current.Name,
    Labels: input.Labels ?? current.Labels,
    Orchestration: {
      // A pointer in the Engine: an explicit 0 is applied (only an absent value keeps the current one).
      TaskHistoryRetentionLimit: input.Orchestration?.TaskHistoryRetentionLimit ?? current.Orchestration.TaskHistoryRetentionLimit ?? 5,
    },
    Raft: {
      SnapshotInterval: nonZero(raft.SnapshotInterval, current.Raft.SnapshotInterval),
      KeepOldSnapshots: raft.KeepOldSnapshots ?? current.Raft.KeepOldSnapshots,
      LogEntriesForSlowFollowers: nonZero(raft.LogEntriesForSlowFollowers, current.Raft.LogEntriesForSlowFollowers),
      ElectionTick: nonZero(raft.ElectionTick, current.Raft.ElectionTick),
      HeartbeatTick: nonZero(raft.HeartbeatTick, current.Raft.HeartbeatTick),
    },
    Dispatcher: { HeartbeatPeriod: nonZero(input.Dispatcher?.HeartbeatPeriod, current.Dispatcher.HeartbeatPeriod ?? 0) },
    CAConfig: {
      NodeCertExpiry: nonZero(input.CAConfig?.NodeCertExpiry, current.CAConfig.NodeCertExpiry),
      ...(input.CAConfig?.ForceRotate ? { ForceRotate: input.CAConfig.ForceRotate } : {}),
    },
    TaskDefaults: input.TaskDefaults ?? current.TaskDefaults,
    EncryptionConfig: { AutoLockManagers: input.EncryptionConfig?.AutoLockManagers ?? current.EncryptionConfig.AutoLockManagers },
  };
}

/** swarmkit's validateClusterSpec; at init Docker wraps it as "error updating cluster settings". */
export function validateSpec(spec: SwarmSpec, when: 'init' | 'update'): void {
  if (spec.Name !== 'default') {
    throw new DomainError(SwarmErrors.invalidParameter('swarm spec must be named "default"'));
  }
  if (spec.CAConfig.NodeCertExpiry < MIN_NODE_CERT_EXPIRY_NS) {
    const grpc = 'rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s';
    throw new DomainError(
      when === 'init'
        ? SwarmErrors.system(`error updating cluster settings: ${grpc}`)
        : SwarmErrors.invalidParameter(grpc),
    );
  }
  if ((spec.Dispatcher.HeartbeatPeriod ?? 0) < 0) {
    throw new DomainError(SwarmErrors.invalidParameter('rpc error: code = InvalidArgument desc = heartbeat time period cannot be a negative duration'));
  }
  const issue = storableSpec.issue(spec);
  if (issue) throw new DomainError(SwarmErrors.invalidParameter(`invalid swarm spec: ${issue.message}`));
}
