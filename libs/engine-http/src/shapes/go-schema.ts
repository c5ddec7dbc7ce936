import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * TypeBox builders for the Engine's Go request types. Each schema carries the Go type it stands
 * for (`goType`) and each struct its Go name (`goStruct`), so a type error is worded from the
 * schema as Go's decoder words it (`json: cannot unmarshal string into Go struct field
 * InitRequest.SubnetSize of type uint32`), not by hand per field.
 *
 * As in Go, `null` is accepted everywhere and means "not given" (the zero value), and unknown
 * fields are ignored. The limits (`maxLength`, `maxItems`, `maxProperties`) are ours: Go has none;
 * see docs/decisions/0011.
 */
export interface GoSchemaOptions {
  readonly goType: string;
  readonly goStruct?: string;
}

/**
 * Most bytes in one request body (fastify's `bodyLimit` on the gateway and the agent). It bounds
 * everything a request can carry into a NATS message: a decoded string can grow up to 3x (each
 * invalid UTF-8 byte becomes U+FFFD, as in Go), so 256 KiB stays under nats-server's default
 * max_payload of 1 MiB with room for the envelope. The largest real body (a spec with PEM
 * certificates) is a few KiB.
 */
export const MAX_BODY_BYTES = 256 * 1024;
/** The 413 text for a body over `MAX_BODY_BYTES` (the Engine has no limit, so no text of its own). */
export function bodyTooLarge(): string {
  return `request body too large: the limit is ${MAX_BODY_BYTES} bytes`;
}

/** Longest plain string field (names, addresses, tokens, PEM certificates): bounded by the body. */
export const MAX_STRING = MAX_BODY_BYTES;
/** Longest map key (a label or option name). */
export const MAX_KEY = 1024;
/** Longest map value (a label or option value). */
export const MAX_MAP_VALUE = 4096;
/** Most entries in one map (labels, options) or one list (pools, addresses, CAs). */
export const MAX_ENTRIES = 256;

const INT_RANGES = {
  int: [-9223372036854775808, 9223372036854775807],
  int64: [-9223372036854775808, 9223372036854775807],
  uint64: [0, 18446744073709551615],
  uint32: [0, 4294967295],
  uint8: [0, 255],
  'time.Duration': [-9223372036854775808, 9223372036854775807],
} as const;

// The schemas accept null (Go does) but their TypeScript types do not: `decodeBody` replaces each
// null as Go reads it (see `withGoZeros`), so a decoded value never holds one.
function nullable<T extends TSchema>(schema: T, jsonType: string, goType: string, extra: Record<string, unknown> = {}) {
  return Type.Unsafe<Static<T>>({ ...schema, ...extra, type: [jsonType, 'null'], goType });
}

/** A Go `string` (or a named string type such as `swarm.NodeRole`). */
export function goString(goType = 'string', maxLength = MAX_STRING) {
  return nullable(Type.String(), 'string', goType, { maxLength });
}

export function goBool() {
  return nullable(Type.Boolean(), 'boolean', 'bool');
}

/** A Go integer kind; a fraction or a value out of the kind's range is refused as Go refuses it. */
export function goInt(goType: keyof typeof INT_RANGES) {
  const [minimum, maximum] = INT_RANGES[goType];
  return nullable(Type.Integer(), 'integer', goType, { minimum, maximum });
}

/** A Go `time.Duration`: an integer count of nanoseconds. */
export function goDuration() {
  return goInt('time.Duration');
}

/** A Go `[]T`. */
export function goSlice<T extends TSchema>(items: T, goType = `[]${(items as { goType?: string }).goType ?? ''}`, maxItems = MAX_ENTRIES) {
  return Type.Unsafe<Static<T>[]>({ type: ['array', 'null'], items, maxItems, goType });
}

/** A Go `map[string]string` (labels, options). */
export function goStringMap(maxProperties = MAX_ENTRIES) {
  return Type.Unsafe<Record<string, string>>({
    type: ['object', 'null'],
    additionalProperties: goString('string', MAX_MAP_VALUE),
    propertyNames: { maxLength: MAX_KEY },
    maxProperties,
    goType: 'map[string]string',
  });
}

/** A Go struct named `goStruct` (e.g. `CAConfig`) whose type is `goType` (e.g. `swarm.CAConfig`). */
export function goStruct<P extends Record<string, TSchema>>(goStructName: string, goType: string, properties: P) {
  const object = Type.Partial(Type.Object(properties));
  return Type.Unsafe<Static<typeof object>>({ ...object, type: ['object', 'null'], goStruct: goStructName, goType });
}

/** The top-level request: `null` decodes as an empty request, as in Go. */
export function goRequest<P extends Record<string, TSchema>>(goStructName: string, goType: string, properties: P) {
  const object = Type.Partial(Type.Object(properties));
  return Type.Unsafe<Static<typeof object>>({ ...object, type: 'object', goStruct: goStructName, goType });
}
