import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNatsServer } from '#testing';
import { startStack, type RunningStack } from '../../scripts/stack.js';
import type { Backoff } from '../../scripts/supervisor.js';
import { engineRequest, type EngineResponse } from './engine-request.js';

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface StackFixture {
  /** `unix://<dataDir>/docker.sock` (the default) or `tcp://127.0.0.1:<port>` (`{ tcp: true }`). */
  readonly dockerHost: string;
  /** GATEWAY_ADDR as given to the gateway: `unix://...` or `127.0.0.1:<port>`. */
  readonly gatewayAddr: string;
  readonly natsUrl: string;
  readonly dataDir: string;
  readonly stack: RunningStack;
  /** The dashboard's address (a free loopback port) and its URL with the access token. */
  readonly dashboardAddr: string;
  readonly dashboardUrl: string;
  /** Runs the real docker CLI against the gateway. */
  docker(...args: string[]): Promise<CliResult>;
  /** The docker CLI with `input` on its standard input (prompts). */
  dockerWithInput(input: string, ...args: string[]): Promise<CliResult>;
  /** Raw HTTP against the gateway (over its unix socket or TCP, as it listens). */
  api(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<EngineResponse>;
  stop(): Promise<void>;
}

/**
 * A real nats-server (own port, temporary store) and the whole stack, its Engine API on the unix
 * socket `docker.sock` of a temporary data dir (as `npm start`), or with `tcp` on a free loopback
 * port (tools that speak only TCP: load generators, wrk).
 * The swarm advertises 127.0.0.1 by default (SWARM_DEFAULT_ADVERTISE_ADDR), never another address.
 */
export async function startStackFixture(options: { replicas?: number; backoff?: Backoff; tcp?: boolean; env?: Record<string, string> } = {}): Promise<StackFixture> {
  const nats = await startNatsServer({ jetstream: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-e2e-'));
  const gatewayAddr = options.tcp ? `127.0.0.1:${await freePort()}` : `unix://${path.join(dataDir, 'docker.sock')}`;
  const dashboardAddr = `127.0.0.1:${await freePort()}`;
  const stack = await startStack({
    dashboardAddr,
    natsUrl: nats.url,
    dataDir,
    gatewayAddr,
    logDir: path.join(dataDir, 'logs'),
    env: { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1', ...options.env },
    ...(options.replicas ? { replicas: options.replicas } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  const dockerHost = options.tcp ? `tcp://${gatewayAddr}` : gatewayAddr;
  return {
    dockerHost,
    gatewayAddr,
    natsUrl: nats.url,
    dataDir,
    stack,
    dashboardAddr,
    dashboardUrl: stack.dashboardUrl!,
    docker: (...args) => runDocker(dockerHost, args),
    dockerWithInput: (input, ...args) => runDocker(dockerHost, args, input),
    api: (method, urlPath, body, headers) => engineRequest(dockerHost, method, urlPath, body, headers),
    async stop() {
      await stack.stop();
      await nats.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function runDocker(dockerHost: string, args: readonly string[], input?: string, env: Record<string, string> = {}): Promise<CliResult> {
  // stdin is closed (or fed) so that a prompt never waits.
  return new Promise((resolve) => {
    const child = execFile(
      'docker',
      [...args],
      { env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: path.join(os.tmpdir(), 'swarmplane-docker-config'), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    // A CLI that exits before reading its input (most commands) closes the pipe: EPIPE is no error here.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** Replaces IDs, tokens and certificates with placeholders, so outputs compare with the reference. */
export function mask(text: string): string {
  return text
    .replace(/SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}/g, 'SWMTKN-1-<DIGEST>-<SECRET>')
    .replace(/\b[0-9a-z]{25}\b/g, '<ID>');
}
