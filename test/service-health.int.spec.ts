import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNatsServer, type NatsServerHandle } from '#testing';
import { repoRoot } from './support/compose-file.js';

/** The container health check of a service (no HTTP port): the ready file it keeps while connected to NATS. */
describe('service health check (READY_FILE)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'service-health-'));
  const readyFile = path.join(dir, 'ready');
  let nats: NatsServerHandle;
  let service: ChildProcess;
  let output = '';

  before(async () => {
    nats = await startNatsServer();
    const env = { PATH: process.env.PATH, NATS_URL: nats.url, SWARM_KEK: randomBytes(32).toString('hex'), READY_FILE: readyFile };
    service = spawn(process.execPath, [path.join(repoRoot, 'dist', 'apps', 'ipam-service', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8192);
    };
    service.stdout?.on('data', keep);
    service.stderr?.on('data', keep);
  });

  after(async () => {
    if (service.exitCode === null && service.signalCode === null) {
      const exited = new Promise((resolve) => service.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const healthcheck = (): { status: number | null; stderr: string } =>
    spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'scripts', 'healthcheck.js')], {
      env: { APP: 'ipam-service', READY_FILE: readyFile },
      encoding: 'utf8',
    });

  /** Polls a condition a bounded number of times (the service reacts to NATS on its own schedule). */
  const eventually = async (condition: () => boolean, what: string): Promise<void> => {
    for (let attempt = 0; attempt < 600 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(condition(), `${what}\n${output}`);
  };

  it('passes once the service is connected to NATS', async () => {
    await eventually(() => existsSync(readyFile), 'the ready file appears');
    assert.equal(healthcheck().status, 0);
  });

  it('fails once NATS is gone, while the process still runs', async () => {
    await nats.stop();
    await eventually(() => !existsSync(readyFile), 'the ready file is removed');
    const result = healthcheck();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /not connected to NATS/);
    assert.equal(service.exitCode, null, 'the service keeps running and reconnecting');
  });
});
