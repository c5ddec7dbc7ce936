import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { compileSchema } from '../validation/schema-validator.js';
import { EVENT_DATA_SCHEMAS, eventSchemaIssue, registerEventSchema } from './event-registry.js';
import { EVENT_SCHEMA_VERSIONS } from './event-union.js';
import { BoundedString } from './schema-parts.js';

describe('the event schema registry', () => {
  it('has a schema for every swarm event type, at its schema version', () => {
    assert.deepEqual(Object.keys(EVENT_DATA_SCHEMAS).sort(), Object.keys(EVENT_SCHEMA_VERSIONS).sort());
    assert.equal(eventSchemaIssue({ type: 'NodeRemoved', schemaVersion: 1, data: { nodeId: 'n1', clusterId: 'c1', force: false } }), undefined);
    assert.match(eventSchemaIssue({ type: 'NodeRemoved', schemaVersion: 2, data: {} })?.message ?? '', /unknown event type NodeRemoved version 2/);
  });

  it('names the path of the first issue under data', () => {
    const issue = eventSchemaIssue({ type: 'NodeRemoved', schemaVersion: 1, data: { nodeId: 'n1', clusterId: 'c1', force: 'yes' } });
    assert.deepEqual([issue?.path, issue?.expected, issue?.actual], [['data', 'force'], 'boolean', 'string']);
  });

  it('registers other types once and never replaces a swarm type', () => {
    registerEventSchema('RegistryTested', 1, Type.Object({ n: Type.Integer() }));
    registerEventSchema('RegistryTested', 1); // the first schema stays
    assert.equal(eventSchemaIssue({ type: 'RegistryTested', schemaVersion: 1, data: { n: 1 } }), undefined);
    assert.ok(eventSchemaIssue({ type: 'RegistryTested', schemaVersion: 1, data: { n: 'x' } }));
    assert.throws(() => registerEventSchema('NetworkCreated', 1), /cannot be replaced/);
  });
});

describe('BoundedString', () => {
  it('bounds the length in UTF-16 code units', () => {
    const check = compileSchema(BoundedString(2, 4));
    assert.deepEqual(['a', 'ab', 'abcd', 'abcde', 5].map((v) => check(v)), [false, true, true, false, false]);
    assert.equal(check.issue('abcde')?.keyword, 'maxCodeUnits');
  });
});
