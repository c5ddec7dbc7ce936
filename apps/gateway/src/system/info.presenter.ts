import { ENGINE_VERSION, engineDescription } from '#engine-http';
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { SwarmReadModel } from '../read-model/swarm-read-model.js';
import { presentCluster } from '../read-model/presenters.js';

const INACTIVE_SWARM = { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null };

/** `docker info`'s Swarm section, as a manager reports it. */
export function presentSwarmInfo(model: SwarmReadModel): Record<string, unknown> {
  const init = model.membership;
  if (!init) return INACTIVE_SWARM;
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

/**
 * `GET /info`. Honest about what this engine is: a swarm control plane that runs no containers,
 * no images, no storage driver; the machine facts are real.
 */
export function presentInfo(model: SwarmReadModel, eventListeners: number): Record<string, unknown> {
  const engine = engineDescription();
  return {
    ID: engineId(),
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: 0,
    Driver: '',
    DriverStatus: null,
    Plugins: { Volume: [], Network: ['overlay'], Authorization: null, Log: [] },
    MemoryLimit: false,
    SwapLimit: false,
    CpuCfsPeriod: false,
    CpuCfsQuota: false,
    CPUShares: false,
    CPUSet: false,
    PidsLimit: false,
    IPv4Forwarding: false,
    Debug: false,
    NFd: 0,
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: '',
    CgroupDriver: '',
    CgroupVersion: '',
    NEventsListener: eventListeners,
    KernelVersion: os.release(),
    OperatingSystem: os.version(),
    OSVersion: '',
    OSType: 'linux',
    Architecture: engine.architecture,
    IndexServerAddress: '',
    RegistryConfig: null,
    NCPU: engine.nanoCpus / 1_000_000_000,
    MemTotal: engine.memoryBytes,
    GenericResources: null,
    DockerRootDir: '',
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: engine.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: {},
    DefaultRuntime: '',
    Swarm: presentSwarmInfo(model),
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: [],
    Warnings: null,
  };
}

let cachedId: string | undefined;
/** A stable engine ID in Docker's format (12 groups of 4 base32 characters) derived from the host. */
function engineId(): string {
  if (cachedId) return cachedId;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha512').update(`swarmplane:${os.hostname()}`).digest();
  const chars = [...digest.subarray(0, 48)].map((b) => alphabet[b % 32]).join('');
  cachedId = chars.match(/.{4}/g)!.join(':');
  return cachedId;
}
