import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNatsServer } from '#testing';
import { startStack, type RunningStack } from '../../scripts/stack.js';

export interface BenchStack {
  readonly dockerHost: string;
  readonly gatewayAddr: string;
  readonly natsUrl: string;
  readonly natsPid: number;
  readonly dataDir: string;
  readonly logDir: string;
  readonly stack: RunningStack;
  /** PIDs of every process of the stack (nats-server first). */
  pids(): number[];
  /** Stops the stack then nats-server (by PID); removes the temp dir unless `keep`. */
  stop(keep?: boolean): Promise<void>;
}

/**
 * Like test/support/stack-fixture.ts: a private nats-server (own free port, temp store, never
 * 4222) and every service plus the gateway on a free loopback port, in a fresh temp dir.
 */
export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  const nats = await startNatsServer({ jetstream: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-bench-'));
  const logDir = path.join(dataDir, 'logs');
  let stack: RunningStack;
  let gatewayAddr: string;
  try {
    gatewayAddr = `127.0.0.1:${await freePort()}`;
    stack = await startStack({
      natsUrl: nats.url,
      dataDir,
      gatewayAddr,
      logDir,
      env: { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1', ...env },
    });
  } catch (error) {
    await nats.stop();
    throw new Error(`${(error as Error).message} (logs kept in ${logDir})`);
  }
  let stopped: Promise<void> | undefined;
  return {
    dockerHost: `tcp://${gatewayAddr}`,
    gatewayAddr,
    natsUrl: nats.url,
    natsPid: nats.pid,
    dataDir,
    logDir,
    stack,
    pids: () => [nats.pid, ...[...stack.processes.values()].flat().flatMap((child) => (child.pid === undefined ? [] : [child.pid]))],
    stop(keep = false) {
      stopped ??= (async () => {
        await stack.stop();
        await nats.stop();
        if (!keep) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
