import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '#testing';
import { runDocker, type CliResult } from './stack-fixture.js';

export interface AgentFixture {
  readonly dockerHost: string;
  readonly dataDir: string;
  docker(...args: string[]): Promise<CliResult>;
  /** Stops the agent process (by PID) and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('../../apps/agent/src/main.js', import.meta.url));

/** An agent (`npm run agent`) on a free loopback port with a temporary data dir. */
export async function startAgent(hostname: string): Promise<AgentFixture> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-agent-'));
  const dockerHost = `tcp://127.0.0.1:${port}`;
  let child = await launch(port, dataDir, hostname);
  return {
    dockerHost,
    dataDir,
    docker: (...args) => runDocker(dockerHost, args),
    async restart() {
      await stop(child);
      child = await launch(port, dataDir, hostname);
    },
    async stop() {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function launch(port: number, dataDir: string, hostname: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [entry, '--port', String(port), '--data', dataDir, '--hostname', hostname], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Engine API listening')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
