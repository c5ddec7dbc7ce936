import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { listenEngineApi, type ListeningApp } from './listen-engine-api.js';
import { EngineListenError } from './listen-plan.js';
import { groupId } from './unix-socket.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'engine-socket-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const servers: http.Server[] = [];
after(() => servers.forEach((s) => s.close()));

function app(): ListeningApp & { server: http.Server } {
  const server = http.createServer((_req, res) => res.end('OK'));
  servers.push(server);
  return { server, listen: (p, host) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(p as never, host, () => resolve())) };
}
const logger = (): { warnings: string[]; log(): void; warn(m: string): void } => ({ warnings: [], log() {}, warn(m) { this.warnings.push(m); } });

function ping(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath, path: '/_ping' }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

describe('the Engine API on a unix socket', () => {
  it('mode 0660, owner the running user, group docker when it exists (else dockerd\'s warning)', async () => {
    const socketPath = path.join(root, `d${++n}`, 'docker.sock');
    const log = logger();
    assert.equal(await listenEngineApi(app(), { kind: 'unix', path: socketPath }, log), `unix://${socketPath}`);
    const stat = statSync(socketPath);
    assert.ok(stat.isSocket());
    assert.equal(stat.mode & 0o777, 0o660);
    assert.equal(stat.uid, process.getuid?.());
    const docker = groupId('docker');
    if (docker === undefined) {
      assert.equal(stat.gid, process.getgid?.());
      assert.deepEqual(log.warnings, [`could not change group ${socketPath} to docker: group docker not found`]);
    } else {
      assert.equal(stat.gid, docker);
      assert.deepEqual(log.warnings, []);
    }
    assert.equal(await ping(socketPath), 'OK');
  });

  it('removes a stale socket left by a process that died', async () => {
    const socketPath = path.join(root, `d${++n}`, 'docker.sock');
    mkdirSync(path.dirname(socketPath));
    // A process killed while it listens leaves its socket file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid ?? -1, 'SIGKILL');
    await exited;
    assert.ok(statSync(socketPath).isSocket());
    await listenEngineApi(app(), { kind: 'unix', path: socketPath }, logger());
    assert.equal(await ping(socketPath), 'OK');
  });

  it('refuses a socket another live process serves, and a file that is not a socket', async () => {
    const socketPath = path.join(root, `d${++n}`, 'docker.sock');
    await listenEngineApi(app(), { kind: 'unix', path: socketPath }, logger());
    await assert.rejects(listenEngineApi(app(), { kind: 'unix', path: socketPath }, logger()), (error: Error) => {
      assert.ok(error instanceof EngineListenError);
      assert.equal(error.message, `${socketPath} is served by another running process: stop it first or choose another socket`);
      return true;
    });
    assert.equal(await ping(socketPath), 'OK', 'the first server keeps its socket');
    const file = path.join(root, `d${n}`, 'not-a-socket');
    writeFileSync(file, 'data');
    await assert.rejects(listenEngineApi(app(), { kind: 'unix', path: file }, logger()), /exists and is not a socket: refusing to replace it/);
  });

  it('plain TCP on loopback logs dockerd\'s warnings', async () => {
    const log = logger();
    const a = app();
    const url = await listenEngineApi(a, { kind: 'tcp', host: '127.0.0.1', port: 0, tls: undefined }, log);
    assert.equal(url, 'tcp://127.0.0.1:0');
    assert.equal(log.warnings.length, 2);
    assert.match(log.warnings[0] ?? '', /^Binding to IP address without --tlsverify is insecure/);
  });

  it('reads /etc/group-shaped files', () => {
    const file = path.join(root, 'group');
    writeFileSync(file, 'root:x:0:\ndockerish:x:5:\ndocker:x:111:alice,bob\n');
    assert.equal(groupId('docker', file), 111);
    assert.equal(groupId('nobody-here', file), undefined);
    assert.equal(groupId('docker', path.join(root, 'absent')), undefined);
  });
});
