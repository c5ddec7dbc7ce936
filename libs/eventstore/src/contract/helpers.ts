/** Helpers for the event store contract suite and the integration tests. */
import { randomUUID } from 'node:crypto';
import { EVENT_DATA_SCHEMAS, registerEventSchema } from '#contracts';

import type { EventStore, NewEvent, RecordedEvent } from '../port.js';

export interface ContractStore {
  readonly store: EventStore;
  cleanup(): Promise<void>;
}

export type MakeStore = () => Promise<ContractStore>;

/** Registers one contract test: node:test's `it`, or a variant that reports it as skipped. */
export type ContractTest = (name: string, fn: () => Promise<void>) => void;

let counter = 0;

/** A stream name no other test uses. */
export function uniqueStream(prefix = 's'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

/**
 * Lets the store accept events of a test's own type (any data): the production event types keep
 * their schemas, which cannot be replaced (`registerEventSchema`).
 */
export function registerTestEventType(type: string, schemaVersion = 1): void {
  if (!Object.hasOwn(EVENT_DATA_SCHEMAS, type)) registerEventSchema(type, schemaVersion);
}

/** An event of a test type (registered here) or of a swarm type (then `data` must match its schema). */
export function newEvent(type = 'Tested', data: unknown = { n: 1 }, extra: Partial<NewEvent> = {}): NewEvent {
  registerTestEventType(type, extra.schemaVersion ?? 1);
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: randomUUID(), actor: 'user:contract' },
    ...extra,
  };
}

/** Rejects with a clear message when `promise` is not settled within `ms` (a guard, not a sleep). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A time strictly after every event already stored and strictly before every event stored after
 * this resolves (stored times come from the same clock). Waits at most ~2 ms for the clock.
 */
export async function clockBoundary(): Promise<Date> {
  const boundary = new Date(Date.now() + 1);
  while (Date.now() <= boundary.getTime()) await new Promise((resolve) => setImmediate(resolve));
  return boundary;
}

export async function collect(iterable: AsyncIterable<RecordedEvent>, streams?: ReadonlySet<string>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) if (!streams || streams.has(event.stream)) out.push(event);
  return out;
}

export const RFC3339_NANOS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
