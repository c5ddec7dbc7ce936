#!/usr/bin/env node
// `npm start`: installs and builds what is missing, starts a local nats-server with JetStream
// (store under ./data/nats) unless NATS_URL is set, then every service and the gateway.
// Ctrl-C stops everything it started. State lives in ./data and survives a restart.
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data');
const gatewayAddr = process.env.GATEWAY_ADDR ?? '127.0.0.1:2375';
const dashboardAddr = process.env.DASHBOARD_ADDR ?? '127.0.0.1:2380';

if (!existsSync('node_modules/.package-lock.json')) execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
execSync('npm run --silent build', { stdio: 'inherit' });

const { startStack, stopChild } = await import(path.join(root, 'dist/scripts/stack.js'));

let nats;
let natsUrl = process.env.NATS_URL;
if (!natsUrl) {
  const port = Number(process.env.NATS_PORT ?? 14222);
  mkdirSync(path.join(dataDir, 'nats'), { recursive: true });
  const bin = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
  nats = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dataDir, 'nats')], { stdio: ['ignore', 'ignore', 'inherit'] });
  natsUrl = `nats://127.0.0.1:${port}`;
  await waitForPort('127.0.0.1', port);
  console.log(`nats-server (pid ${nats.pid}) on ${natsUrl}, store ${path.join(dataDir, 'nats')}`);
}

let stack;
try {
  stack = await startStack({ natsUrl, dataDir, gatewayAddr, logDir: process.env.LOG_DIR, ...(dashboardAddr === 'off' ? {} : { dashboardAddr }) });
} catch (error) {
  console.error(String(error));
  if (nats) await stopChild(nats);
  process.exit(1);
}
console.log(`\nThe swarm control plane is up. Point docker at it:\n\n  export DOCKER_HOST=tcp://${gatewayAddr}\n`);
if (stack.dashboardUrl) console.log(`The dashboard (read-only; the token is in ${path.join(dataDir, 'dashboard-token')}):\n\n  ${stack.dashboardUrl}\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  if (nats) await stopChild(nats);
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

async function waitForPort(host, port, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host, port }, () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}
