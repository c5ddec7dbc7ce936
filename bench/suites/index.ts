import type { SuiteEntry } from '../support/suite.js';

/**
 * The suites of `npm run bench -- <suite>`, each its own module, loaded only when run.
 * To add one: bench/suites/<name>.ts exporting `suite: Suite`, and a line here.
 */
export const SUITES: Readonly<Record<string, SuiteEntry>> = {
  init: {
    summary: 'swarm init latency (Engine API and docker CLI), GET /swarm throughput at 1 and 50 connections',
    load: async () => (await import('./init.js')).suite,
  },
  replay: {
    summary: 'appends 1,000,000 events (REPLAY_EVENTS), rebuilds every read model from zero, append-to-delivery on /events',
    load: async () => (await import('./replay.js')).suite,
  },
  networks: {
    summary: 'allocates every /24 of 10.0.0.0/8 through the service (creates/s first vs last 1,000, RSS), the allocator alone, exhaustion',
    load: async () => (await import('./networks.js')).suite,
  },
  join: {
    summary: 'node joins through the swarm port with pre-made CSRs at 1 and 32 clients: joins/s, p50/p99, CPU per join by process',
    load: async () => (await import('./join.js')).suite,
  },
  cluster: {
    summary: 'appends/s and p99 append latency: one nats-server with replicas 1 vs a 3-node cluster with replicas 3, 1 and 32 writers',
    load: async () => (await import('./cluster.js')).suite,
  },
};

export const DEFAULT_SUITE = 'init';
