import { createHash } from 'node:crypto';
import os from 'node:os';
import type { EngineDescription } from '#contracts';
import { API_VERSION, ENGINE_VERSION, GIT_COMMIT, MIN_API_VERSION } from './engine.js';

/**
 * `GET /info` of an engine that runs no containers (the gateway, an agent): the machine facts are
 * real, the container-engine fields are honestly empty; `swarm` is the caller's Swarm section.
 */
export function presentEngineInfo(
  engine: EngineDescription,
  engineId: string,
  swarm: Record<string, unknown>,
  eventListeners = 0,
  /** The engine's warnings, which the CLI prints after `docker info` (null: none). */
  warnings: readonly string[] | null = null,
): Record<string, unknown> {
  return {
    ID: engineId,
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
    Swarm: swarm,
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: [],
    Warnings: warnings && warnings.length > 0 ? warnings : null,
  };
}

/** `GET /version`. */
export function presentVersion(platformName: string): Record<string, unknown> {
  const arch = os.arch() === 'x64' ? 'amd64' : os.arch();
  const goVersion = `node${process.versions.node}`;
  const details = { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: GIT_COMMIT, GoVersion: goVersion, Os: 'linux', Arch: arch, KernelVersion: os.release(), Experimental: 'false', BuildTime: '' };
  return {
    Platform: { Name: platformName },
    Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: details }],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: GIT_COMMIT,
    GoVersion: goVersion,
    Os: 'linux',
    Arch: arch,
    KernelVersion: os.release(),
    BuildTime: '',
  };
}

/** A stable engine ID in Docker's format (12 groups of 4 base32 characters) derived from a seed. */
export function engineIdOf(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha512').update(seed).digest();
  const chars = [...digest.subarray(0, 48)].map((b) => alphabet[b % 32]).join('');
  return chars.match(/.{4}/g)!.join(':');
}
