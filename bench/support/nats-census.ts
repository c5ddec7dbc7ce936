/**
 * Every NATS message an operation causes: a `>` subscriber on the stack's private nats-server
 * counts messages by subject (IDs folded) while operations run one at a time, minus the background
 * traffic of an idle second before. Publishing to a subject and JetStream delivering it to a
 * consumer are told apart (a delivery carries a `$JS.ACK` reply subject).
 */
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { table } from './report.js';
import { round } from './stats.js';

export interface CensusRow {
  readonly pattern: string;
  readonly perOp: number;
  readonly bytesPerOp: number;
}

export interface Census {
  readonly rows: CensusRow[];
  readonly totalPerOp: number;
  readonly baselinePerSecond: number;
  readonly ops: number;
}

const BASELINE_MS = 1000;

/** A subject with its IDs (node IDs, consumer names, sequence numbers, inboxes) folded. */
export function subjectPattern(msg: Pick<Msg, 'subject' | 'reply' | 'headers'>, eventPrefix = 'es'): string {
  const subject = msg.subject;
  if (subject.startsWith('_INBOX.')) {
    if (msg.reply?.startsWith('$JS.ACK.')) return '_INBOX.* <- JetStream delivery';
    if (msg.headers?.get('Status') || msg.headers?.code) return '_INBOX.* <- JetStream status (heartbeat / no messages)';
    return '_INBOX.* <- a reply (RPC reply, JS API reply, publish ack)';
  }
  const pattern = subject
    .split('.')
    .map((token) => (/^[A-Za-z0-9_]{16,}$/.test(token) || /^\d+$/.test(token) ? '*' : token.replace(/-[a-z0-9]{20,}$/, '-*')))
    .join('.');
  if (msg.reply?.startsWith('$JS.ACK.')) return `${pattern} -> delivered to a consumer`;
  if (subject.startsWith(`${eventPrefix}.`)) return `${pattern} <- appended (JetStream publish)`;
  return pattern;
}

/** Runs `op` `ops` times, one at a time, and counts the NATS messages per op. */
export async function messageCensus(nc: NatsConnection, ops: number, op: (i: number) => Promise<void>): Promise<Census> {
  const counts = new Map<string, { msgs: number; bytes: number }>();
  let counting = true;
  const sub = nc.subscribe('>', {
    callback: (_error, msg) => {
      if (!counting) return;
      const key = subjectPattern(msg);
      const entry = counts.get(key) ?? { msgs: 0, bytes: 0 };
      entry.msgs++;
      entry.bytes += msg.data.length + msg.subject.length;
      counts.set(key, entry);
    },
  });
  await nc.flush();
  // Background traffic (consumers' pull requests, heartbeats) over an idle second.
  await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
  const baseline = new Map(counts);
  const baselineMsgs = [...baseline.values()].reduce((n, e) => n + e.msgs, 0);
  counts.clear();
  const start = performance.now();
  try {
    for (let i = 0; i < ops; i++) await op(i);
    await nc.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    counting = false;
    sub.unsubscribe();
  }
  const scale = (performance.now() - start) / BASELINE_MS;
  const rows: CensusRow[] = [];
  for (const [pattern, entry] of counts) {
    const background = (baseline.get(pattern)?.msgs ?? 0) * scale;
    const backgroundBytes = (baseline.get(pattern)?.bytes ?? 0) * scale;
    rows.push({
      pattern,
      perOp: round(Math.max(0, entry.msgs - background) / ops),
      bytesPerOp: Math.round(Math.max(0, entry.bytes - backgroundBytes) / ops),
    });
  }
  rows.sort((a, b) => b.perOp - a.perOp || b.bytesPerOp - a.bytesPerOp);
  return { rows, totalPerOp: round(rows.reduce((n, r) => n + r.perOp, 0)), baselinePerSecond: Math.round(baselineMsgs / (BASELINE_MS / 1000)), ops };
}

export function printCensus(ctx: { print(text: string): void }, census: Census, what: string): void {
  ctx.print(
    table(
      ['subject (IDs folded)', `msgs/${what}`, `bytes/${what}`],
      census.rows.filter((row) => row.perOp >= 0.05).map((row) => [row.pattern, row.perOp, row.bytesPerOp]),
    ),
  );
  ctx.print(
    `  total ${census.totalPerOp} messages per ${what} (${census.ops} ${what}s one at a time); background ${census.baselinePerSecond} msgs/s while idle, subtracted.` +
      ` RPC replies come back on each connection's shared inbox subscription (libs/rpc/src/mux-client-nats.ts): no SUB/UNSUB per call.`,
  );
}
