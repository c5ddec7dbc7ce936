/**
 * Issue 12, "a killed process comes back": a service or the gateway killed by PID (SIGKILL, as a
 * crash or the OOM killer would) is started again by the supervisor without anyone calling
 * restart, and `/_ping` tells the time in between: 503 while no replica of a service answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '#testing';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

// Restarts wait 3 s here, so that the down time is wider than the gateway's 1 s probe period.
const BACKOFF = { initialMs: 3000, maxMs: 10_000, resetAfterMs: 10_000 };

describe('supervision: a killed process comes back by itself', () => {
  let fx: StackFixture;

  before(async () => {
    fx = await startStackFixture({ backoff: BACKOFF });
  });
  after(async () => {
    await fx?.stop();
  });

  /** Polls `/_ping` (bounded) until `status`, returning the last answer. */
  const pingUntil = async (status: number, timeoutMs = 20_000): Promise<{ status: number; text: string }> => {
    const deadline = Date.now() + timeoutMs;
    let last = await fx.api('GET', '/_ping').catch((error: Error) => ({ status: 0, text: error.message }));
    while (last.status !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await fx.api('GET', '/_ping').catch((error: Error) => ({ status: 0, text: error.message }));
    }
    return last;
  };

  it('answers /_ping with 503 while ipam-service is dead, and 200 once the supervisor restarted it', async () => {
    assert.equal((await pingUntil(200)).status, 200);
    const killed = await fx.stack.kill('ipam-service', 0);

    const down = await pingUntil(503, 4000);
    assert.equal(down.status, 503, down.text);
    assert.match((JSON.parse(down.text) as { message: string }).message, /^the control plane is unhealthy: ipam-service: no replica answers \(not running\)$/);
    assert.equal((await fx.api('HEAD', '/_ping')).status, 503);
    assert.equal((await fx.api('GET', '/info')).status, 200, 'docker info is unaffected');
    assert.equal((await fx.api('GET', '/version')).status, 200);

    const back = await fx.stack.whenReady('ipam-service', 0);
    assert.notEqual(back.pid, killed);
    assert.equal(fx.stack.processes.get('ipam-service')?.[0], back, 'the PID table names the new process');
    assert.equal(fx.stack.restarts('ipam-service', 0), 1);
    assert.equal((await pingUntil(200, 5000)).status, 200);

    const log = readFileSync(path.join(fx.dataDir, 'logs', 'supervisor.log'), 'utf8');
    assert.match(log, new RegExp(`supervisor: ipam-service#0 \\(pid ${killed}\\) was ended by SIGKILL after [\\d.]+ s, not asked to: restart 1 in 3000 ms\\n`));
    assert.match(log, new RegExp(`supervisor: ipam-service#0 is ready again as pid ${back.pid} \\(restart 1\\)\\n`));
  });

  it('brings a killed gateway back on its own address', async () => {
    const port = await freePort();
    const init = await fx.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${port}`);
    assert.equal(init.code, 0, init.stderr);
    const killed = await fx.stack.kill('gateway', 0);
    const gone = await fx.api('GET', '/_ping').then(
      (reply) => reply.status,
      () => 0,
    );
    assert.equal(gone, 0, 'nothing listens while the gateway is down');
    const back = await fx.stack.whenReady('gateway', 0);
    assert.notEqual(back.pid, killed);
    const ping = await pingUntil(200, 10_000);
    assert.equal(ping.status, 200);
    const created = await fx.docker('network', 'create', '--driver', 'overlay', 'after-gateway-kill');
    assert.equal(created.code, 0, created.stderr);
  });

  it('restarts nothing that a test restarts or stops on purpose', async () => {
    const before = fx.stack.restarts('token-service', 0);
    await fx.stack.restartReplica('token-service', 0);
    await fx.stack.restart('ca-service');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(fx.stack.restarts('token-service', 0), 0, 'a replica restarted on purpose starts a fresh count');
    assert.equal(before, 0);
    const log = readFileSync(path.join(fx.dataDir, 'logs', 'supervisor.log'), 'utf8');
    assert.doesNotMatch(log, /token-service|ca-service/, 'no supervisor restart of either');
    assert.equal((await pingUntil(200, 5000)).status, 200);
  });
});
