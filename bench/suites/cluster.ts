import { randomUUID } from 'node:crypto';
import { JetStreamEventStore, type ExpectedRevision, type NewEvent } from '#eventstore';
import { startNatsCluster, startNatsServer } from '#testing';
import { section, table } from '../support/report.js';
import { round, roundSummary, summarize, type Summary } from '../support/stats.js';
import type { BenchContext, Suite } from '../support/suite.js';

interface Setup {
  readonly name: string;
  readonly replicas: number;
  readonly start: () => Promise<{ servers: string[]; stop: () => Promise<void> }>;
}

interface Row {
  readonly setup: string;
  readonly expectation: 'revision' | 'any';
  readonly inFlight: number;
  readonly appends: number;
  readonly appendsPerS: number;
  readonly latencyMs: Summary;
}

const SETUPS: readonly Setup[] = [
  {
    name: '1 node, replicas 1',
    replicas: 1,
    start: async () => {
      const server = await startNatsServer({ jetstream: true });
      return { servers: [server.url], stop: () => server.stop() };
    },
  },
  {
    name: '3-node cluster, replicas 3',
    replicas: 3,
    start: async () => {
      const cluster = await startNatsCluster({ size: 3 });
      return { servers: cluster.servers, stop: () => cluster.stop() };
    },
  },
];

/**
 * `npm run bench -- cluster`: appends per second and append latency through the JetStream adapter
 * on one nats-server with replicas 1 and on a three-node cluster with replicas 3, in the same run.
 * Each writer appends one event at a time to its own aggregate stream, naming the expected
 * revision (the command path; on a replicated stream it is checked through the stream's last
 * sequence, docs/decisions/0007) or `any` (no check), at 1 and 32 writers (`--connections`).
 */
export const suite: Suite = {
  async run(ctx) {
    const levels = ctx.options.connectionsGiven ? ctx.options.connections : [1, 32];
    const rows: Row[] = [];
    for (const setup of SETUPS) {
      ctx.progress(`starting ${setup.name}`);
      const nats = await setup.start();
      ctx.defer(() => nats.stop());
      const store = await JetStreamEventStore.connect({ servers: nats.servers, replicas: setup.replicas, name: 'bench-cluster' });
      ctx.defer(() => store.close());
      for (const expectation of ['revision', 'any'] as const) {
        for (const inFlight of levels) {
          ctx.progress(`${setup.name}: ${inFlight} writer(s), expectation ${expectation}, ${ctx.options.durationS} s`);
          rows.push(await measure(ctx, store, setup.name, expectation, inFlight));
        }
      }
      await store.close();
      await nats.stop();
    }
    ctx.print(section('Appends through the JetStream adapter: one node (replicas 1) vs a 3-node cluster (replicas 3)'));
    ctx.print(
      table(
        ['setup', 'expectation', 'writers', 'appends', 'appends/s', 'p50 ms', 'p99 ms', 'max ms'],
        rows.map((r) => [r.setup, r.expectation, r.inFlight, r.appends, r.appendsPerS, r.latencyMs.median, r.latencyMs.p99, r.latencyMs.max]),
      ),
    );
    return { cluster: rows };
  },
};

async function measure(ctx: BenchContext, store: JetStreamEventStore, setup: string, expectation: 'revision' | 'any', inFlight: number): Promise<Row> {
  const samples: number[] = [];
  const endAt = performance.now() + ctx.options.durationS * 1000;
  const started = performance.now();
  const writer = async (): Promise<void> => {
    const stream = `bench-${randomUUID()}`;
    let expected: ExpectedRevision = expectation === 'any' ? 'any' : 'no_stream';
    while (performance.now() < endAt) {
      const t0 = performance.now();
      const result = await store.append(stream, [benchEvent()], expected);
      samples.push(performance.now() - t0);
      if (expectation === 'revision') expected = result.nextExpectedRevision;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  const seconds = (performance.now() - started) / 1000;
  ctx.checkDeadline();
  return { setup, expectation, inFlight, appends: samples.length, appendsPerS: round(samples.length / seconds), latencyMs: roundSummary(summarize(samples)) };
}

function benchEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'BenchAppended',
    schemaVersion: 1,
    data: { at: Date.now() },
    metadata: { correlationId: randomUUID(), actor: 'service:bench' },
  };
}
