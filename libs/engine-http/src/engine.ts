import os from 'node:os';
import type { EngineDescription } from '#contracts';

/** What this engine says about itself (`docker version`, `docker info`, node descriptions). */
export const ENGINE_VERSION = process.env.ENGINE_VERSION ?? '27.5.1-swarmplane';
export const API_VERSION = '1.47';
export const MIN_API_VERSION = '1.24';
export const GIT_COMMIT = 'swarmplane';

const ARCHITECTURES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i386' };

let cached: EngineDescription | undefined;

/** Machine facts, read once: os.cpus() is costly and `docker info` is on every CLI command's path. */
export function engineDescription(): EngineDescription {
  cached ??= {
    hostname: os.hostname(),
    engineVersion: ENGINE_VERSION,
    architecture: ARCHITECTURES[os.arch()] ?? os.arch(),
    os: 'linux',
    nanoCpus: os.cpus().length * 1_000_000_000,
    memoryBytes: os.totalmem(),
  };
  return cached;
}
