import { DomainError, SwarmErrors, type SchemaIssue } from '#contracts';
import type { EngineRequest } from '../shapes/engine-request.js';
import type { Static, TSchema } from '@sinclair/typebox';
import { GoJsonSyntaxError, pathKey, readGoJson } from './go-json.js';

/**
 * Most levels of `{`/`[` nesting in a body. The deepest Engine request this gateway reads
 * (`Spec.CAConfig.ExternalCAs[].Options`) has 5; Go allows 10,000. Bounding it bounds the
 * reader's recursion and the validator's, so a 10,000-deep body costs microseconds.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * The one decode step of an Engine API body: raw text -> JSON with Go's syntax errors -> depth
 * bound -> schema -> typed value. An empty body is the Engine's `got EOF while reading request
 * body`; `null` is an empty request, as Go decodes it. Every refusal is a 400 with Go's text.
 */
export function decodeBody<S extends TSchema>(raw: unknown, request: EngineRequest<S>): Static<S> {
  const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
  let read: ReturnType<typeof readGoJson>;
  try {
    read = readGoJson(text, MAX_BODY_DEPTH);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw invalid(error.message);
    throw error;
  }
  if (read === undefined) throw invalid('got EOF while reading request body');
  const value = read.value === null ? {} : read.value;
  const literals = read.numberLiterals;
  const literalAt = (path: readonly (string | number)[]) => literals.get(pathKey(path)) ?? literals.get(pathKey(path.map(lower)));
  return checked(withGoFieldNames(value, request.schema as SchemaNode), request, literalAt);
}

/** Checks an already-decoded value (e.g. a query parameter's JSON) against a request schema. */
export function checked<S extends TSchema>(value: unknown, request: EngineRequest<S>, literalAt: (path: readonly (string | number)[]) => string | undefined = () => undefined): Static<S> {
  const issue = request.validate.issue(value);
  if (issue) throw invalid(describeIssue(request.schema, issue, value, literalAt));
  return withGoZeros(value, request.schema as SchemaNode) as Static<S>;
}

/**
 * Go's reading of `null`: a struct field set to null is left unset (dropped here), a null map
 * value or list element is the zero value of its type ("" for strings, false, 0, an empty struct).
 */
function withGoZeros(value: unknown, node: SchemaNode): unknown {
  if (Array.isArray(value)) return node.items ? value.map((item) => (item === null ? zeroOf(node.items!) : withGoZeros(item, node.items!))) : value;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (node.properties) {
    for (const [key, field] of Object.entries(node.properties)) {
      if (!Object.hasOwn(record, key)) continue;
      if (record[key] === null) delete record[key];
      else record[key] = withGoZeros(record[key], field);
    }
  } else if (typeof node.additionalProperties === 'object') {
    const inner = node.additionalProperties;
    for (const key of Object.keys(record)) record[key] = record[key] === null ? zeroOf(inner) : withGoZeros(record[key], inner);
  }
  return record;
}

/**
 * Struct fields as Go sets them: an unknown field is dropped (Go ignores it, so it is never
 * stored), and a key matches its field case-insensitively (`listenaddr` sets `ListenAddr`), so it
 * is renamed before the check. Number literals stay keyed by the path as sent; `lower` finds them
 * back for an all-lowercase key.
 */
function withGoFieldNames(value: unknown, node: SchemaNode): unknown {
  if (Array.isArray(value)) return node.items ? value.map((item) => withGoFieldNames(item, node.items!)) : value;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (node.properties) {
    const byLowerName = new Map(Object.keys(node.properties).map((name) => [name.toLowerCase(), name]));
    for (const key of Object.keys(record)) {
      const field = Object.hasOwn(node.properties, key) ? key : byLowerName.get(key.toLowerCase());
      // Go ignores a field its struct does not have: dropped, so it can never be stored.
      if (field === undefined) {
        delete record[key];
        continue;
      }
      if (field !== key) {
        Object.defineProperty(record, field, { value: record[key], enumerable: true, writable: true, configurable: true });
        delete record[key];
      }
      record[field] = withGoFieldNames(record[field], node.properties[field]!);
    }
  } else if (typeof node.additionalProperties === 'object') {
    for (const key of Object.keys(record)) record[key] = withGoFieldNames(record[key], node.additionalProperties);
  }
  return record;
}

function zeroOf(node: SchemaNode): unknown {
  const type = ([] as unknown[]).concat(node.type)[0];
  if (type === 'string') return '';
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'object' && node.properties) return {};
  return null;
}

interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly goType?: string;
  readonly goStruct?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
}

const GO_TYPE_KEYWORDS = new Set(['type', 'minimum', 'maximum']);

/** Go's `UnmarshalTypeError` text for type and range issues; our limit's text for the others. */
export function describeIssue(schema: TSchema, issue: SchemaIssue, root: unknown, literalAt: (path: readonly (string | number)[]) => string | undefined): string {
  let node = schema as SchemaNode;
  let struct = '';
  const fields: string[] = [];
  let value = root;
  for (const segment of issue.path) {
    value = (value as Record<string | number, unknown>)[segment];
    if (typeof segment === 'number' && node.items) node = node.items;
    else if (node.properties && Object.hasOwn(node.properties, segment)) {
      struct = node.goStruct ?? struct;
      fields.push(String(segment));
      node = node.properties[segment]!;
    } else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
  }
  const where = fields.length > 0 ? `Go struct field ${struct}.${fields.join('.')}` : 'Go value';
  if (!GO_TYPE_KEYWORDS.has(issue.keyword)) {
    return `invalid ${fields.length > 0 ? fields.join('.') : 'request'}: ${issue.message.slice(issue.message.indexOf(' ') + 1)}`;
  }
  // Go quotes the literal only when a number does not fit a numeric kind (`number 1.5`).
  const numeric = issue.keyword !== 'type' || issue.expected.includes('integer');
  const actual = issue.actual === 'number' && numeric ? `number ${literalAt(issue.path) ?? String(value)}` : (issue.actual ?? 'null');
  return `json: cannot unmarshal ${actual} into ${where} of type ${node.goType ?? 'interface {}'}`;
}

function invalid(message: string): DomainError {
  return new DomainError(SwarmErrors.invalidParameter(message));
}

function lower(segment: string | number): string | number {
  return typeof segment === 'string' ? segment.toLowerCase() : segment;
}
