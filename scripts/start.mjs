#!/usr/bin/env node
// `npm start`: installs and builds what is missing, starts a local nats-server with JetStream
// (store under ./data/nats) unless NATS_URL is set, then every service and the gateway.
// Every process, nats-server included, is supervised: one that exits unasked is started again
// (250 ms, doubling to 10 s while it keeps dying young), with one line on stderr saying why.
// Ctrl-C stops everything it started. State lives in ./data and survives a restart.
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data');
// The Engine API: a unix socket in the data dir unless GATEWAY_ADDR names another (see README).
const gatewayAddr = process.env.GATEWAY_ADDR || `unix://${path.join(dataDir, 'docker.sock')}`;
const dashboardAddr = process.env.DASHBOARD_ADDR ?? '127.0.0.1:2380';

if (!existsSync('node_modules/.package-lock.json')) execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
execSync('npm run --silent build', { stdio: 'inherit' });

const { startStack, supervisorLog } = await import(path.join(root, 'dist/scripts/stack.js'));
const { dockerEnvFor } = await import(path.join(root, 'dist/scripts/docker-env.js'));
let clientEnv;
try {
  // Refused here, before anything starts, when the address would need TLS it does not have.
  clientEnv = dockerEnvFor({ ...process.env, GATEWAY_ADDR: gatewayAddr });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { Supervised, isRunning } = await import(path.join(root, 'dist/scripts/supervisor.js'));
const log = supervisorLog(process.env.LOG_DIR);

let nats;
let natsUrl = process.env.NATS_URL;
if (!natsUrl) {
  const port = Number(process.env.NATS_PORT ?? 14222);
  const store = path.join(dataDir, 'nats');
  mkdirSync(store, { recursive: true });
  const bin = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
  // A restarted nats-server opens the same store: JetStream recovers the event log from it.
  nats = new Supervised({
    name: 'nats-server',
    spawn: () => {
      const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.pipe(process.stderr, { end: false });
      return child;
    },
    ready: (child) => waitForPort('127.0.0.1', port, () => isRunning(child)),
    log,
  });
  natsUrl = `nats://127.0.0.1:${port}`;
  try {
    await within(15_000, nats.ready);
  } catch (error) {
    console.error(String(error));
    await nats.stop();
    process.exit(1);
  }
  console.log(`nats-server (pid ${nats.child.pid}) on ${natsUrl}, store ${store}`);
}

let stack;
try {
  stack = await startStack({ natsUrl, dataDir, gatewayAddr, logDir: process.env.LOG_DIR, log, ...(dashboardAddr === 'off' ? {} : { dashboardAddr }) });
} catch (error) {
  console.error(String(error));
  if (nats) await nats.stop();
  process.exit(1);
}
console.log(`\nThe swarm control plane is up. Point docker at it:\n\n  export ${clientEnv}\n`);
if (stack.dashboardUrl) console.log(`The dashboard (read-only; the token is in ${path.join(dataDir, 'dashboard-token')}):\n\n  ${stack.dashboardUrl}\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  nats?.stopRestarting();
  await stack.stop();
  if (nats) await nats.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

/** Resolves once something listens on host:port; gives up when `keepTrying()` turns false. */
async function waitForPort(host, port, keepTrying) {
  while (keepTrying()) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host, port }, () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

function within(ms, promise) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`not ready after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
