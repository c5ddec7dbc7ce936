import type { NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { AckedPublisher } from './acked-publish.js';

import { assertValidStreamName, categoryOf } from '../stream-name.js';

/** How the adapter lays itself out in JetStream. */
export interface JetStreamEventStoreOptions {
  /** The one JetStream stream holding every event. Default `SWARM_EVENTS`. */
  readonly streamName?: string;
  /** Subjects are `<subjectPrefix>.<stream>`; the JetStream stream takes `<subjectPrefix>.>`. Default `es`. */
  readonly subjectPrefix?: string;
  /**
   * Categories whose streams get a subject branch of their own, `<subjectPrefix>.<category>.<stream>`
   * (`es.node.node-3f2a`), for a stream created by this call; an existing stream keeps the layout
   * recorded in its description. Meant for the numerous, busy categories that many subscribers do
   * not want: nats-server 2.9 filters a consumer by one subject only, and `<subjectPrefix>.*` then
   * matches every other stream and none of these. Default: none.
   */
  readonly branchCategories?: readonly string[];
  /**
   * Replicas of the stream. When given, a new stream gets it and an existing one is changed to it;
   * when absent, a new stream gets 1 and an existing one keeps its own (tools that only read or
   * append must not reconfigure a cluster's stream).
   */
  readonly replicas?: number;
  /** Default `file`. */
  readonly storage?: 'file' | 'memory';
  /**
   * How long an event id is remembered for deduplication. Default 10 minutes. Must exceed
   * `unavailableRetryMs` plus one publish timeout, so that a retried append is still recognised.
   */
  readonly duplicateWindowMs?: number;
  /**
   * How long a request that failed transiently (timeout, no responders while a stream elects a
   * leader, reconnect) is retried before the error reaches the caller. Default 30 s.
   */
  readonly unavailableRetryMs?: number;
}

export interface JetStreamConnectOptions extends JetStreamEventStoreOptions {
  readonly servers: string | string[];
  /** Connection name, shown by the server's monitoring. */
  readonly name?: string;
}

export interface ResolvedOptions {
  readonly streamName: string;
  readonly subjectPrefix: string;
  readonly branchCategories: readonly string[];
  readonly replicas: number | undefined;
  readonly storage: 'file' | 'memory';
  readonly duplicateWindowMs: number;
  readonly unavailableRetryMs: number;
}

/** Where the subjects of streams are: the prefix and the categories with a branch of their own. */
export interface SubjectLayout {
  readonly subjectPrefix: string;
  readonly branches: ReadonlySet<string>;
}

/** Everything the adapter's parts share. */
export interface JetStreamContext extends Omit<ResolvedOptions, 'replicas' | 'branchCategories'>, SubjectLayout {
  /** The stream's actual replica count (above 1: appends take the guarded path, append.ts). */
  readonly replicas: number;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Appends publish through it (acked-publish.ts), not through `js.publish`. */
  readonly publisher: AckedPublisher;
}

/** The JetStream client's request timeout (its default), which bounds one publish attempt. */
export const PUBLISH_TIMEOUT_MS = 5_000;

const JS_STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A category is a stream name up to its first `-`. */
const CATEGORY = /^[A-Za-z0-9_]{1,200}$/;
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function resolveOptions(opts: JetStreamEventStoreOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    streamName: opts.streamName ?? 'SWARM_EVENTS',
    subjectPrefix: opts.subjectPrefix ?? 'es',
    branchCategories: [...(opts.branchCategories ?? [])],
    replicas: opts.replicas,
    storage: opts.storage ?? 'file',
    duplicateWindowMs: opts.duplicateWindowMs ?? 10 * 60_000,
    unavailableRetryMs: opts.unavailableRetryMs ?? 30_000,
  };
  if (!JS_STREAM_NAME.test(resolved.streamName)) {
    throw new TypeError(`invalid JetStream stream name ${JSON.stringify(resolved.streamName)}`);
  }
  if (!SUBJECT_PREFIX.test(resolved.subjectPrefix)) {
    throw new TypeError(`invalid subject prefix ${JSON.stringify(resolved.subjectPrefix)}`);
  }
  for (const category of resolved.branchCategories) {
    if (!CATEGORY.test(category)) throw new TypeError(`invalid branch category ${JSON.stringify(category)}`);
  }
  if (resolved.replicas !== undefined && (!Number.isInteger(resolved.replicas) || resolved.replicas < 1)) {
    throw new TypeError(`replicas must be a positive integer, got ${resolved.replicas}`);
  }
  if (!Number.isInteger(resolved.duplicateWindowMs) || resolved.duplicateWindowMs < 1) {
    throw new TypeError(`duplicateWindowMs must be a positive integer, got ${resolved.duplicateWindowMs}`);
  }
  if (!Number.isInteger(resolved.unavailableRetryMs) || resolved.unavailableRetryMs < 0) {
    throw new TypeError(`unavailableRetryMs must be a non-negative integer, got ${resolved.unavailableRetryMs}`);
  }
  if (resolved.duplicateWindowMs < resolved.unavailableRetryMs + PUBLISH_TIMEOUT_MS) {
    throw new TypeError(
      `duplicateWindowMs (${resolved.duplicateWindowMs}) must cover unavailableRetryMs (${resolved.unavailableRetryMs}) plus one publish timeout (${PUBLISH_TIMEOUT_MS} ms)`,
    );
  }
  return resolved;
}

/** The subject of an aggregate stream; validates the stream name. */
export function subjectOf(layout: SubjectLayout, stream: string): string {
  assertValidStreamName(stream);
  const category = categoryOf(stream);
  return layout.branches.has(category) ? `${layout.subjectPrefix}.${category}.${stream}` : `${layout.subjectPrefix}.${stream}`;
}

/** The aggregate stream of a subject: its last token (a stream name has no `.`). */
export function streamOf(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}

/**
 * The one subject filter that delivers every event of `categories` and as few others as possible,
 * or undefined when only the whole log will do. nats-server 2.9 takes one filter per consumer:
 * `<prefix>.*` covers the categories without a branch, `<prefix>.<category>.*` one with.
 */
export function subjectFilterFor(layout: SubjectLayout, categories: readonly string[]): string | undefined {
  const branched = categories.filter((c) => layout.branches.has(c));
  if (branched.length === 0) return `${layout.subjectPrefix}.*`;
  if (branched.length === 1 && categories.every((c) => c === branched[0])) return `${layout.subjectPrefix}.${branched[0]}.*`;
  return undefined;
}

const LAYOUT_MARK = /\bsubject-branches=([A-Za-z0-9_,]*)/;

/** The layout a stream records in its description (none recorded: every subject is `<prefix>.<stream>`). */
export function branchesOf(description: string | undefined): string[] {
  const recorded = description === undefined ? undefined : LAYOUT_MARK.exec(description)?.[1];
  return recorded ? recorded.split(',').filter((c) => c !== '') : [];
}

/** The description of a new stream: what it is, and its layout, read back by `branchesOf`. */
export function describeLayout(branchCategories: readonly string[]): string {
  return `event log (one subject per aggregate stream); subject-branches=${branchCategories.join(',')}`;
}
