import { Type, type Static } from '@sinclair/typebox';
import { EngineDescriptionSchema, NodeAvailabilitySchema, RequestContextSchema, printable } from '../swarm/request-schemas.js';
import { compileSchema } from '../validation/schema-validator.js';
import type { SchemaMatches } from '../validation/type-equality.js';
import type { JoinNodeRequest } from './requests.js';

/**
 * `nodes.join` as node-service accepts it, whoever sent it over NATS: the gateway's swarm port
 * checks the join body first, with the same bounds (SwarmPortLimits), and answers in its own words.
 */
export const JoinNodeRequestSchema = Type.Object({
  context: RequestContextSchema,
  token: printable(256),
  csrPem: Type.String({ minLength: 1, maxLength: 8 * 1024 }),
  availability: NodeAvailabilitySchema,
  /** An IPv4 or IPv6 address (with a zone, if any) as the manager saw it. */
  addr: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z:.%_-]+$' }),
  description: EngineDescriptionSchema,
});

export const validateJoinNodeRequest = compileSchema(JoinNodeRequestSchema);

const _join: SchemaMatches<Static<typeof JoinNodeRequestSchema>, JoinNodeRequest> = true;
void _join;
