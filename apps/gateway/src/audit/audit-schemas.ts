import type { SchemaObject } from '@nestjs/swagger';

/** The JSON shapes the audit API answers with, for its OpenAPI document (own-api-document.ts). */

const timeQuery = 'RFC 3339 or unix seconds';

/** Query parameters shared by `/audit/events` and `/audit/skipped-events`. */
export const LOG_WINDOW_QUERIES = [
  { name: 'since', type: String, description: timeQuery },
  { name: 'until', type: String, description: timeQuery },
  { name: 'fromPosition', type: 'integer', description: 'the first log position (inclusive)' },
  { name: 'toPosition', type: 'integer', description: 'the last log position (inclusive)' },
] as const;

export const RECORDED_EVENT: SchemaObject = {
  type: 'object',
  required: ['id', 'type', 'schemaVersion', 'stream', 'revision', 'position', 'time', 'metadata', 'data'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    schemaVersion: { type: 'integer' },
    stream: { type: 'string' },
    revision: { type: 'integer' },
    position: { type: 'integer' },
    time: { type: 'string', description: 'RFC 3339, 9 fractional digits' },
    metadata: {
      type: 'object',
      properties: { correlationId: { type: 'string' }, causationId: { type: 'string' }, actor: { type: 'string' } },
    },
    data: { type: 'object', description: 'the event data; sealed values read "[sealed]"' },
  },
};

export const SKIPPED_EVENTS: SchemaObject = {
  type: 'object',
  required: ['invalid', 'skipped'],
  properties: {
    invalid: {
      type: 'array',
      description: 'Events of the log that do not match the schema of their type and version (or whose type is unknown, or that are not events: type $undecodable). Every reader skips them.',
      items: {
        type: 'object',
        required: ['position', 'stream', 'id', 'type', 'schemaVersion', 'time', 'reason'],
        properties: {
          position: { type: 'integer' },
          stream: { type: 'string' },
          id: { type: 'string' },
          type: { type: 'string' },
          schemaVersion: { type: 'integer' },
          time: { type: 'string' },
          actor: { type: 'string' },
          reason: { type: 'string', description: 'the first schema issue, e.g. data.engine must be object' },
        },
      },
    },
    skipped: {
      type: 'array',
      description: 'What the readers of this gateway process skipped since it started (each reader and position once; the last 1000).',
      items: {
        type: 'object',
        required: ['reader', 'position', 'stream', 'id', 'type', 'schemaVersion', 'cause', 'reason', 'skippedAt'],
        properties: {
          reader: { type: 'string', description: 'e.g. gateway read model, docker events, audit state' },
          position: { type: 'integer' },
          stream: { type: 'string' },
          id: { type: 'string' },
          type: { type: 'string' },
          schemaVersion: { type: 'integer' },
          cause: { type: 'string', enum: ['schema', 'apply'] },
          reason: { type: 'string' },
          skippedAt: { type: 'string' },
        },
      },
    },
  },
};

export const AUDIT_STATE: SchemaObject = {
  type: 'object',
  properties: {
    position: { type: 'integer' },
    time: { type: 'string', nullable: true },
    swarm: { type: 'object', nullable: true, description: 'as GET /swarm, without JoinTokens, with JoinTokenFingerprints' },
    nodes: { type: 'array', items: { type: 'object' }, description: 'as GET /nodes' },
    networks: { type: 'array', items: { type: 'object' }, description: 'as GET /networks' },
  },
};

export const ROTATION: SchemaObject = {
  type: 'object',
  required: ['position', 'time', 'type'],
  properties: {
    position: { type: 'integer' },
    time: { type: 'string' },
    type: { type: 'string', enum: ['RootCaCreated', 'JoinTokensIssued', 'JoinTokenRotated', 'RootRotationStarted', 'RootRotationCompleted', 'JoinTokensReissued', 'JoinTokenAgeExceeded', 'UnlockKeyIssued', 'UnlockKeyRemoved'] },
    actor: { type: 'string' },
    correlationId: { type: 'string' },
    clusterId: { type: 'string' },
    caDigest: { type: 'string' },
    keyFingerprint: { type: 'string' },
    workerFingerprint: { type: 'string' },
    managerFingerprint: { type: 'string' },
    role: { type: 'string', enum: ['worker', 'manager'] },
    fingerprint: { type: 'string' },
    rotationId: { type: 'string' },
    origin: { type: 'string' },
    previousCaDigest: { type: 'string' },
    issuedAt: { type: 'string' },
    maxAgeSeconds: { type: 'integer' },
    autoRotate: { type: 'boolean' },
    unlockKeyFingerprint: { type: 'string' },
  },
};
