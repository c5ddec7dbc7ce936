import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { compileSchema, jsonDepth, jsonTypeOf } from './schema-validator.js';

describe('compileSchema', () => {
  const spec = compileSchema(
    Type.Object({ Name: Type.String(), Spec: Type.Optional(Type.Object({ CAConfig: Type.Object({ NodeCertExpiry: Type.Integer() }) })) }),
  );

  it('accepts a matching value and narrows it', () => {
    const value: unknown = { Name: 'a', Spec: { CAConfig: { NodeCertExpiry: 5 } } };
    assert.equal(spec(value), true);
    assert.equal(spec.issue(value), undefined);
  });

  it('names the path, the expected and the actual JSON type of the first issue', () => {
    const issue = spec.issue({ Name: 'a', Spec: { CAConfig: { NodeCertExpiry: 'abc' } } });
    assert.deepEqual(
      { path: issue?.path, keyword: issue?.keyword, expected: issue?.expected, actual: issue?.actual },
      { path: ['Spec', 'CAConfig', 'NodeCertExpiry'], keyword: 'type', expected: 'integer', actual: 'string' },
    );
  });

  it('reports a missing property by its name', () => {
    const issue = spec.issue({});
    assert.deepEqual([issue?.keyword, issue?.path, issue?.actual], ['required', ['Name'], undefined]);
  });
});

describe('jsonTypeOf and jsonDepth', () => {
  it('uses JSON names', () => {
    assert.deepEqual([null, true, 1, 's', [], {}].map(jsonTypeOf), ['null', 'bool', 'number', 'string', 'array', 'object']);
  });

  it('counts nesting and stops past the limit', () => {
    assert.equal(jsonDepth(1, 10), 0);
    assert.equal(jsonDepth({ a: [{ b: 1 }] }, 10), 3);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    assert.equal(jsonDepth(deep, 64) > 64, true);
  });
});
