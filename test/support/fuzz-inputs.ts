/**
 * Inputs for the fuzz suite (test/fuzz.e2e.spec.ts): valid Engine API bodies with one field
 * swapped for a value of another JSON type, nesting bombs, long strings, bad query values and
 * plain garbage. Every arbitrary is bounded in size.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value of any JSON type, including the awkward ones (huge numbers, NATS characters, long text). */
export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e26, -1e26, 1.5, 2 ** 53 + 1, '', 'abc', '5', 'a\r\nb', 'a.b.*.>', '{"a":1}', [], {}, ['a=b'], { a: 1 }, [null]),
  fc.integer().map((n): Json => n),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n): Json => n),
  fc.string({ maxLength: 40 }).map((s): Json => s),
  fc.constantFrom(300, 70_000).map((n): Json => 'x'.repeat(n)),
  fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as Json),
);

/** A copy of `body` with the value at one path (existing or new) replaced by `value`. */
export function withValueAt(body: Json, path: readonly string[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const base = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  return { ...base, [head]: withValueAt(base[head] ?? {}, rest, value) };
}

/** Every path to a value of `body` (objects only, not into arrays). */
export function pathsOf(body: Json, prefix: readonly string[] = []): string[][] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.entries(body).flatMap(([key, value]) => [[...prefix, key], ...pathsOf(value, [...prefix, key])]);
}

/** `body` with one of its fields (or a new one) set to an odd value. */
export function mutated(body: Json): fc.Arbitrary<Json> {
  const paths = [...pathsOf(body), ['Nosuch']];
  return fc.tuple(fc.constantFrom(...paths), oddValue).map(([path, value]) => withValueAt(body, path, value));
}

/** A text that JSON.parse may or may not accept, as a client might send it. */
export const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'null', '[]', '"s"', '5', 'true', '{', '{"a":', '{"a":1}}', 'abc', '{\'a\':1}', '\u0000', '{"ListenAddr":"127.0.0.1:2377"', '[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]'),
  fc.string({ maxLength: 60 }),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

/** Query values: Go booleans, numbers, garbage, JSON filter objects. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '0', '1', 'true', 'false', 'maybe', 'TRUE', '-1', '1e3', '18446744073709551616', '{}', '{"name":{"a":true}}', '{"name":["a"]}', '{"nosuch":{"a":true}}', '[1]', 'null', '{"label":{"a=b":true}}', '{"until":{"x":true}}', '{"type":{"network":true}}'),
  fc.string({ maxLength: 30 }),
  fc.json({ maxDepth: 3 }),
);

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
}

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
);
