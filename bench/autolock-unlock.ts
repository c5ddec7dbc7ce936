/**
 * `node dist/bench/autolock-unlock.js [runs]`: how long `docker swarm unlock` takes after a restart
 * of the whole stack (nats-server on the same store, every service and the gateway), and the first
 * swarm call after it. A private nats-server and stack on free loopback ports, in a temp dir; a
 * swarm port on a free port (never 2377). The Engine took ~0.5 s (pki/B-autolock).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startNatsServer } from '#testing';
import { startStack } from '../scripts/stack.js';
import { runDocker } from '../test/support/stack-fixture.js';

const runs = Number(process.argv[2] ?? 3);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-unlock-'));
const storeDir = mkdtempSync(path.join(os.tmpdir(), 'bench-unlock-nats-'));
const natsPort = await freePort();
const host = `unix://${path.join(dataDir, 'docker.sock')}`;
const env = { SWARM_DEFAULT_ADVERTISE_ADDR: '127.0.0.1', SWARM_BIND_HOST: '127.0.0.1' };

async function up() {
  const nats = await startNatsServer({ jetstream: true, at: { port: natsPort, storeDir } });
  const stack = await startStack({ natsUrl: nats.url, dataDir, gatewayAddr: host, logDir: path.join(dataDir, 'logs'), env });
  return { nats, stack };
}

let running = await up();
try {
  const init = await runDocker(host, ['swarm', 'init', '--autolock', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`]);
  const key = /SWMKEY-1-\S+/.exec(init.stdout)?.[0];
  if (!key) throw new Error(`init --autolock printed no key: ${init.stderr}`);
  for (let run = 1; run <= runs; run++) {
    await running.stack.stop();
    await running.nats.stop();
    running = await up();
    let started = performance.now();
    const unlock = await runDocker(host, ['swarm', 'unlock'], `${key}\n`);
    const unlockMs = performance.now() - started;
    started = performance.now();
    const ls = await runDocker(host, ['node', 'ls', '-q']);
    const lsMs = performance.now() - started;
    console.log(`run ${run}: docker swarm unlock exit ${unlock.code} in ${unlockMs.toFixed(0)} ms; the next docker node ls exit ${ls.code} in ${lsMs.toFixed(0)} ms (load ${os.loadavg()[0]?.toFixed(1)})`);
  }
} finally {
  await running.stack.stop();
  await running.nats.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(storeDir, { recursive: true, force: true });
}
