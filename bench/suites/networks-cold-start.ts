/**
 * The cold start of `networks` (issue 14): a fresh stack, then creates at 8 connections in batches
 * of 1,000, as a user meets it right after `npm start`. Reported: the rate of each of the first
 * four batches and of creates 10,001-11,000 (warm processes), with the two targets: the first
 * 1,000 within 20% of 10,001-11,000, and the four batches within 20% of each other.
 */
import { windowRate, type LoopResult } from '../support/closed-loop.js';
import type { Endpoint } from '../support/engine-client.js';
import { section, table } from '../support/report.js';
import { round } from '../support/stats.js';
import type { BenchContext } from '../support/suite.js';

const CONNECTIONS = 8;
const BATCH = 1_000;
const BATCHES = 4;
const WARM_FROM = 10_000;
const TIME_LIMIT_MS = 5 * 60_000;

export interface ColdStartFigures {
  connections: number;
  creates: number;
  /** Creates/s of creates 1-1,000, 1,001-2,000, ... on the fresh stack. */
  batches: number[];
  /** Creates/s of 10,001-11,000; absent when fewer were made (`--count`). */
  warm?: number;
  /** Slowest batch over the fastest of the four (target >= 0.8). */
  batchSpread: number;
  /** First 1,000 over 10,001-11,000 (target >= 0.8). */
  firstOverWarm?: number;
  errors: number;
}

export type CreateLoop = (endpoint: Endpoint, apiVersion: string, count: number, connections: number, name: (i: number) => string, timeLimitMs: number) => Promise<LoopResult>;

/** Runs the cold-start batches on a stack of its own; `count` caps the creates (11,000 by default). */
export async function coldStart(
  ctx: BenchContext,
  count: number,
  freshStack: () => Promise<{ endpoint: Endpoint; stop: () => Promise<void> }>,
  createNetworks: CreateLoop,
): Promise<ColdStartFigures> {
  const creates = Math.min(count, WARM_FROM + BATCH);
  ctx.progress(`cold start: fresh stack, ${creates.toLocaleString('en')} creates at ${CONNECTIONS} connections, by 1,000`);
  const { endpoint, stop } = await freshStack();
  let result: LoopResult;
  try {
    result = await createNetworks(endpoint, '1.47', creates, CONNECTIONS, (i) => `cold${i + 1}`, TIME_LIMIT_MS);
  } finally {
    await stop();
  }
  const n = result.done;
  const batches: number[] = [];
  for (let from = 0; from + BATCH <= Math.min(n, BATCH * BATCHES); from += BATCH) batches.push(Math.round(windowRate(result.doneAt, from, from + BATCH)));
  const warm = n >= WARM_FROM + BATCH ? Math.round(windowRate(result.doneAt, WARM_FROM, WARM_FROM + BATCH)) : undefined;
  const first = batches[0];
  return {
    connections: CONNECTIONS,
    creates: n,
    batches,
    ...(warm === undefined ? {} : { warm }),
    batchSpread: batches.length > 0 ? round(Math.min(...batches) / Math.max(...batches)) : 0,
    ...(warm === undefined || first === undefined ? {} : { firstOverWarm: round(first / warm) }),
    errors: result.errors,
  };
}

export function printColdStart(ctx: BenchContext, figures: ColdStartFigures): void {
  ctx.print(section(`cold start: POST /networks/create on a fresh stack, ${figures.connections} keep-alive connections, batches of ${BATCH.toLocaleString('en')}`));
  const rows: (string | number | undefined)[][] = figures.batches.map((rate, i) => [`creates ${(i * BATCH + 1).toLocaleString('en')}-${((i + 1) * BATCH).toLocaleString('en')}`, rate, undefined]);
  rows.push(['creates 10,001-11,000 (warm)', figures.warm ?? `not reached (${figures.creates} made)`, undefined]);
  rows.push(['slowest / fastest of the first four', figures.batchSpread, '>= 0.8']);
  rows.push(['first 1,000 / 10,001-11,000', figures.firstOverWarm, '>= 0.8']);
  rows.push(['errors', figures.errors, 0]);
  ctx.print(table(['measurement', 'creates/s or ratio', 'target'], rows));
}
