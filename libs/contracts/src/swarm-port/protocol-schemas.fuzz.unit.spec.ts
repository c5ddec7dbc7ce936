import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { SwarmPortSchemas, parseSwarmPortBody } from './protocol-schemas.js';

const description = fc.record({
  hostname: fc.oneof(fc.domain(), fc.string(), fc.integer(), fc.constant(null)),
  engineVersion: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(undefined)),
  architecture: fc.string({ maxLength: 80 }),
  os: fc.string({ maxLength: 80 }),
  nanoCpus: fc.oneof(fc.integer(), fc.double(), fc.string()),
  memoryBytes: fc.oneof(fc.nat(), fc.double(), fc.constant(null)),
});
const join = fc.record(
  {
    token: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
    csrPem: fc.string({ maxLength: 100 }),
    availability: fc.oneof(fc.constantFrom('active', 'pause', 'drain'), fc.string()),
    advertiseAddr: fc.string({ maxLength: 40 }),
    description: fc.oneof(description, fc.constant(null), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/**
 * Whatever a caller sends, the swarm port answers with a value its schema accepts or a refusal of
 * our own words: never a thrown JavaScript error, never a text from the parser.
 */
it('accepts only well-formed join bodies and refuses everything else in its own words', () => {
  fc.assert(
    fc.property(fc.oneof(join.map((value) => JSON.stringify(value)), fc.json(), fc.string()), (text) => {
      const parsed = parseSwarmPortBody('join request', text, SwarmPortSchemas.joinRequest);
      if ('refusal' in parsed) {
        assert.match(parsed.refusal, /^invalid join request: /);
        assert.doesNotMatch(parsed.refusal, /Unexpected|JSON at position|undefined/);
        return;
      }
      const { description: d } = parsed.value;
      assert.ok(d.hostname.length >= 1 && d.hostname.length <= 253);
      assert.ok(Number.isSafeInteger(d.nanoCpus) && d.nanoCpus >= 0 && Number.isSafeInteger(d.memoryBytes) && d.memoryBytes >= 0);
    }),
    { numRuns: 2000 },
  );
});
