import type { Static, TSchema } from '@sinclair/typebox';
import { compileSchema, type SchemaValidator } from '#contracts';

/** A request schema compiled once, with the Go names its errors are worded in. */
export interface EngineRequest<S extends TSchema> {
  readonly schema: S;
  readonly validate: SchemaValidator<Static<S>>;
}

/** Compiles a request schema (built with go-schema.ts) at module load. */
export function engineRequest<S extends TSchema>(schema: S): EngineRequest<S> {
  return { schema, validate: compileSchema(schema) };
}
