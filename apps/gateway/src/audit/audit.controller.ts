import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { DomainError, SwarmErrors, SwarmEventTypes } from '#contracts';
import { isEventOf, readableIssue, skippedEvents, type EventStore, type ReadAllOptions, type RecordedEvent } from '#eventstore';
import { EVENT_STORE } from '#runtime';
import { stateAt } from './audit-state.js';
import { AUDIT_OPENAPI, AUDIT_PAGE } from './audit-openapi.js';
import { redactSealed } from './redaction.js';

const MAX_LIMIT = 10_000;

/**
 * The audit API (ours, not the Engine's): the raw history with full metadata, the state at any
 * past time or position, and the history of join token rotations and CA changes. Secrets never
 * appear: sealed values are redacted and tokens are shown by fingerprint.
 */
@Controller('audit')
export class AuditController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return AUDIT_PAGE;
  }

  @Get('openapi.json')
  @Header('Content-Type', 'application/json')
  openapi(): Record<string, unknown> {
    return AUDIT_OPENAPI;
  }

  @Get('events')
  @Header('Content-Type', 'application/json')
  async events(@Query() query: Record<string, string | undefined>): Promise<Record<string, unknown>[]> {
    const limit = Math.min(MAX_LIMIT, positiveInt(query.limit, 'limit') ?? 1000);
    const matches = (e: RecordedEvent): boolean =>
      (!query.stream || e.stream === query.stream) &&
      (!query.type || e.type === query.type) &&
      (!query.actor || e.metadata.actor === query.actor) &&
      (!query.correlationId || e.metadata.correlationId === query.correlationId);
    const out: Record<string, unknown>[] = [];
    for await (const event of this.store.readAll(this.range(query))) {
      if (!matches(event)) continue;
      out.push({ ...event, data: redactSealed(event.data) });
      if (out.length >= limit) break;
    }
    return out;
  }

  @Get('state')
  @Header('Content-Type', 'application/json')
  async state(@Query('at') at: string | undefined, @Query('position') position: string | undefined): Promise<Record<string, unknown>> {
    const events: RecordedEvent[] = [];
    const toPosition = positiveInt(position, 'position');
    const toTime = at ? parseTime(at) : undefined;
    for await (const event of this.store.readAll({ ...(toPosition ? { toPosition } : {}), ...(toTime ? { toTime } : {}) })) events.push(event);
    return stateAt(events);
  }

  @Get('rotations')
  @Header('Content-Type', 'application/json')
  async rotations(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const event of this.store.readAll({})) {
      if (!isEventOf(SwarmEventTypes, event)) continue; // listed by /audit/skipped-events
      const base = { position: event.position, time: event.time, type: event.type, actor: event.metadata.actor, correlationId: event.metadata.correlationId };
      if (event.type === 'RootCaCreated') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, caDigest: d.caDigest, keyFingerprint: d.keyFingerprint });
      } else if (event.type === 'JoinTokensIssued') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, workerFingerprint: d.workerFingerprint, managerFingerprint: d.managerFingerprint });
      } else if (event.type === 'JoinTokenRotated') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, role: d.role, fingerprint: d.fingerprint });
      } else if (event.type === 'JoinTokenAgeExceeded') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, role: d.role, fingerprint: d.fingerprint, issuedAt: d.issuedAt, maxAgeSeconds: d.maxAgeSeconds, autoRotate: d.autoRotate });
      } else if (event.type === 'UnlockKeyIssued') {
        out.push({ ...base, clusterId: event.data.clusterId, unlockKeyFingerprint: event.data.keyFingerprint });
      } else if (event.type === 'UnlockKeyRemoved') {
        out.push({ ...base, clusterId: event.data.clusterId });
      }
    }
    return out;
  }

  /**
   * Events no reader can apply: the ones in the log (or its `since`/`until`/position window) that do
   * not match their schema, are of an unknown type or are not events at all, and what the readers
   * of this gateway skipped (with the reader, and `apply` when folding a well-formed event threw).
   */
  @Get('skipped-events')
  @Header('Content-Type', 'application/json')
  async skipped(@Query() query: Record<string, string | undefined>): Promise<Record<string, unknown>> {
    const limit = Math.min(MAX_LIMIT, positiveInt(query.limit, 'limit') ?? 1000);
    const invalid: Record<string, unknown>[] = [];
    for await (const event of this.store.readAll(this.range(query))) {
      const reason = readableIssue(event);
      if (reason === undefined) continue;
      invalid.push({
        position: event.position,
        stream: event.stream,
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        time: event.time,
        actor: event.metadata.actor,
        reason,
      });
      if (invalid.length >= limit) break;
    }
    return { invalid, skipped: skippedEvents.list() };
  }

  private range(query: Record<string, string | undefined>): ReadAllOptions {
    const fromPosition = positiveInt(query.fromPosition, 'fromPosition');
    const toPosition = positiveInt(query.toPosition, 'toPosition');
    const since = query.since ? parseTime(query.since) : undefined;
    const until = query.until ? parseTime(query.until) : undefined;
    return {
      ...(fromPosition ? { fromPosition } : since ? { fromTime: since } : {}),
      ...(toPosition ? { toPosition } : {}),
      ...(until ? { toTime: until } : {}),
    };
  }
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  // Positions and limits beyond 2^53 cannot be exact in JavaScript: refused, not rounded.
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new DomainError(SwarmErrors.invalidParameter(`${name} must be a non-negative integer below 2^53`));
  }
  return Number(value);
}

/** RFC 3339, or unix seconds with an optional fraction. */
function parseTime(value: string): Date {
  const unix = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  // JavaScript dates end at ±8.64e15 ms; beyond that a Date is invalid and throws when printed.
  if (Number.isNaN(unix) || Math.abs(unix) > 8.64e15) throw new DomainError(SwarmErrors.invalidParameter(`invalid time: ${value}`));
  return new Date(unix);
}
