import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { DomainError, SwarmErrors, SwarmEventTypes } from '#contracts';
import { isEventOf, readableIssue, skippedEvents, type EventStore, type ReadAllOptions, type RecordedEvent } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AUDIT_STATE, LOG_WINDOW_QUERIES, RECORDED_EVENT, ROTATION, SKIPPED_EVENTS } from './audit-schemas.js';
import { stateAt } from './audit-state.js';
import { OwnApiDocument } from './own-api-document.js';
import { redactSealed } from './redaction.js';

const MAX_LIMIT = 10_000;

/**
 * The audit API (ours, not the Engine's): the raw history with full metadata, the state at any
 * past time or position, and the history of join token rotations and CA changes. Secrets never
 * appear: sealed values are redacted and tokens are shown by fingerprint.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OwnApiDocument) private readonly document: OwnApiDocument,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'This API described for people (rendered from its OpenAPI document)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'an HTML page' })
  page(): string {
    return this.document.page;
  }

  @Get('openapi.json')
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: 'The OpenAPI 3 document of this API, generated from its controllers' })
  @ApiOkResponse({ description: 'OpenAPI document', schema: { type: 'object' } })
  openapi(): Record<string, unknown> {
    return { ...this.document.json };
  }

  @Get('events')
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: 'The raw history, in log order' })
  @ApiQuery({ name: 'stream', required: false, type: String, description: 'e.g. membership, cluster-<id>, node-<id>, ipam-<id>, jointokens-<id>, ca-<id>' })
  @ApiQuery({ name: 'type', required: false, type: String, description: 'event type, e.g. NetworkCreated' })
  @ApiQuery({ name: 'actor', required: false, type: String, description: 'e.g. api:unix (the unix socket), api:127.0.0.1, service:node-service, node:<id>' })
  @ApiQuery({ name: 'correlationId', required: false, type: String })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[0], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[1], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[2], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[3], required: false })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: `at most this many events (default 1000, at most ${MAX_LIMIT})` })
  @ApiOkResponse({ description: 'events', schema: { type: 'array', items: RECORDED_EVENT } })
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
  @ApiOperation({ summary: 'The swarm, its nodes, networks and token fingerprints as they were' })
  @ApiQuery({ name: 'at', required: false, type: String, description: 'RFC 3339 or unix seconds; default now' })
  @ApiQuery({ name: 'position', required: false, type: 'integer', description: 'the log position to stop at (inclusive)' })
  @ApiOkResponse({ description: 'state', schema: AUDIT_STATE })
  async state(@Query('at') at: string | undefined, @Query('position') position: string | undefined): Promise<Record<string, unknown>> {
    const events: RecordedEvent[] = [];
    const toPosition = positiveInt(position, 'position');
    const toTime = at ? parseTime(at) : undefined;
    for await (const event of this.store.readAll({ ...(toPosition ? { toPosition } : {}), ...(toTime ? { toTime } : {}) })) events.push(event);
    return stateAt(events);
  }

  @Get('rotations')
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: 'Root CA creations, root rotations (start and end), join token issues, rotations, reissues after a root rotation and ages passed, unlock keys issued and removed, by fingerprint and digest' })
  @ApiOkResponse({ description: 'history', schema: { type: 'array', items: ROTATION } })
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
      } else if (event.type === 'RootRotationStarted') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, rotationId: d.rotationId, origin: d.origin, caDigest: d.caDigest, keyFingerprint: d.keyFingerprint });
      } else if (event.type === 'RootRotationCompleted') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, rotationId: d.rotationId, caDigest: d.caDigest, previousCaDigest: d.previousCaDigest });
      } else if (event.type === 'JoinTokensReissued') {
        const d = event.data;
        out.push({ ...base, clusterId: d.clusterId, rotationId: d.rotationId, caDigest: d.caDigest, workerFingerprint: d.workerFingerprint, managerFingerprint: d.managerFingerprint });
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
  @ApiOperation({ summary: 'Events no reader can apply: invalid ones in the log, and what the readers of this gateway skipped' })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[0], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[1], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[2], required: false })
  @ApiQuery({ ...LOG_WINDOW_QUERIES[3], required: false })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: `of invalid events (default 1000, at most ${MAX_LIMIT})` })
  @ApiOkResponse({ description: 'skipped events', schema: SKIPPED_EVENTS })
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
