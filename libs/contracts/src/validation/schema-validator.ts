/**
 * The one validator of the project: JSON Schema (written with TypeBox, so each schema gives its
 * TypeScript type) compiled by Ajv. Used at every edge (Engine API bodies and queries, the swarm
 * port, the agent) and by the event store before an append. See docs/decisions/0011.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';

/** The JSON type of a decoded value, in JSON's own words (Go's decoder names these). */
export type JsonType = 'null' | 'bool' | 'number' | 'string' | 'array' | 'object';

/** One reason a value does not match its schema (the first Ajv found). */
export interface SchemaIssue {
  /** Property names and array indices from the root to the offending value. */
  readonly path: readonly (string | number)[];
  /** Ajv's keyword: `type`, `required`, `enum`, `maxLength`, `additionalProperties`, ... */
  readonly keyword: string;
  /** What the schema wanted (for `type`: the JSON Schema type name, e.g. `string`, `integer`). */
  readonly expected: string;
  /** The JSON type of the value found at `path` (undefined when it is missing). */
  readonly actual: JsonType | undefined;
  /** Ajv's text, for logs and for our own (non-Docker) protocols. */
  readonly message: string;
}

export interface SchemaValidator<T> {
  /** True when `value` matches; narrows it to the schema's type. */
  (value: unknown): value is T;
  /** The first issue of a value that does not match, or undefined. */
  issue(value: unknown): SchemaIssue | undefined;
  readonly schema: TSchema;
}

// One Ajv for the process: compiled validators are cached per schema object.
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
/**
 * Lengths in UTF-16 code units (`string.length`), in constant time: `minLength`/`maxLength` count
 * code points, one by one, which cost ~25 ns a character, on every event a reader checks (a
 * certificate PEM alone took ~20 us). For limits that only keep values sane (the event schemas).
 */
ajv.addKeyword({ keyword: 'minCodeUnits', type: 'string', schemaType: 'number', validate: (min: number, data: string) => data.length >= min, errors: false });
ajv.addKeyword({ keyword: 'maxCodeUnits', type: 'string', schemaType: 'number', validate: (max: number, data: string) => data.length <= max, errors: false });

/** Compiles a TypeBox schema once; call at module load, never per request. */
export function compileSchema<S extends TSchema>(schema: S): SchemaValidator<Static<S>> {
  const validate: ValidateFunction = ajv.compile(schema);
  const check = ((value: unknown) => validate(value)) as SchemaValidator<Static<S>>;
  Object.defineProperty(check, 'schema', { value: schema });
  check.issue = (value: unknown) => (validate(value) ? undefined : describe(validate.errors?.[0], value));
  return check;
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** The nesting depth of a decoded JSON value (a scalar is 0), counting no deeper than `limit + 1`. */
export function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) {
    const depth = jsonDepth(child, limit - 1);
    if (depth > deepest) deepest = depth;
    if (deepest > limit) break;
  }
  return deepest + 1;
}

function describe(error: ErrorObject | undefined, root: unknown): SchemaIssue {
  if (!error) return { path: [], keyword: 'unknown', expected: '', actual: jsonTypeOf(root), message: 'invalid value' };
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
  const value = error.keyword === 'required' ? undefined : valueAt(root, path);
  const expected = error.keyword === 'type' ? String((error.params as { type: string | string[] }).type) : error.keyword;
  return {
    path,
    keyword: error.keyword,
    expected,
    actual: error.keyword === 'required' ? undefined : jsonTypeOf(value),
    message: `${path.length > 0 ? path.join('.') : 'value'} ${error.message ?? 'is invalid'}`,
  };
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const key of path) current = (current as Record<string | number, unknown> | null | undefined)?.[key];
  return current;
}
