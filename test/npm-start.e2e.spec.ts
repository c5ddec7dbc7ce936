/**
 * `npm start` itself (scripts/start.mjs) in a process group of its own, as a terminal runs it: the
 * Engine API on the unix socket in its data dir, its nats-server killed with SIGKILL comes back on
 * the same store, and Ctrl-C (SIGINT to the group) stops every process it started without the
 * supervisor starting any again.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { repoRoot } from './support/compose-file.js';
import { engineRequest } from './support/engine-request.js';

describe('npm start supervises its nats-server and stops everything on Ctrl-C', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swarmplane-npm-start-'));
  const logDir = path.join(dataDir, 'logs');
  let start: ChildProcess;
  let stdout = '';
  const gateway = `unix://${path.join(dataDir, 'docker.sock')}`;

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      LOG_DIR: logDir,
      NATS_PORT: String(await freePort()),
      SWARM_BIND_HOST: '127.0.0.1',
      SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1',
    };
    delete env.NATS_URL;
    delete env.GATEWAY_ADDR;
    start = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    start.stderr?.resume();
    assert.ok(await eventually(() => stdout.includes('The swarm control plane is up'), 120_000), stdout);
  });
  after(() => {
    if (start.exitCode === null && start.signalCode === null) process.kill(-start.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, urlPath: string, body?: unknown): Promise<{ status: number; text: string }> => {
    try {
      return await engineRequest(gateway, method, `/v1.47${urlPath}`, body);
    } catch (error) {
      return { status: 0, text: String(error) };
    }
  };
  const supervisorLog = (): string => (existsSync(path.join(logDir, 'supervisor.log')) ? readFileSync(path.join(logDir, 'supervisor.log'), 'utf8') : '');

  it('serves the Engine API on the unix socket in its data dir and says so', () => {
    assert.ok(stdout.includes(`\n  export DOCKER_HOST=${gateway}\n`), stdout);
    const socket = statSync(path.join(dataDir, 'docker.sock'));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o660);
  });

  it('brings a killed nats-server back on its store', async () => {
    const swarmPort = await freePort();
    assert.equal((await api('POST', '/swarm/init', { ListenAddr: `127.0.0.1:${swarmPort}`, AdvertiseAddr: `127.0.0.1:${swarmPort}` })).status, 200);
    assert.equal((await api('POST', '/networks/create', { Name: 'before-the-kill', Driver: 'overlay' })).status, 201);
    const natsPid = Number(/nats-server \(pid (\d+)\)/.exec(stdout)?.[1]);
    process.kill(natsPid, 'SIGKILL');
    assert.ok(await eventually(() => /supervisor: nats-server is ready again as pid \d+ \(restart 1\)/.test(supervisorLog()), 30_000), supervisorLog());
    assert.match(supervisorLog(), new RegExp(`supervisor: nats-server \\(pid ${natsPid}\\) was ended by SIGKILL after [\\d.]+ s, not asked to: restart 1 in 250 ms`));
    assert.ok(await eventually(async () => (await api('GET', '/_ping')).status === 200, 30_000), 'the stack is whole again');
    assert.ok(await eventually(async () => (await api('POST', '/networks/create', { Name: 'after-the-kill', Driver: 'overlay' })).status === 201, 30_000));
    // The audit API reads the log from JetStream: the event from before the kill is in the store.
    const events = JSON.parse((await api('GET', '/audit/events?type=NetworkCreated')).text) as { data: { name: string } }[];
    assert.deepEqual(events.map((e) => e.data.name).filter((name) => name.endsWith('-the-kill')), ['before-the-kill', 'after-the-kill']);
  });

  it('stops every process it started on Ctrl-C, restarting none', async () => {
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(start.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    assert.equal(children.length, 6, 'nats-server, four services and the gateway');
    const before = supervisorLog();
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    process.kill(-start.pid!, 'SIGINT');
    assert.equal(await exited, 0);
    assert.equal(supervisorLog(), before, 'no restart during the shutdown');
    const alive = children.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(alive, []);
  });
});

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
