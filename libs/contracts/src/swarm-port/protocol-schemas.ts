import { Type, type Static } from '@sinclair/typebox';
import { EngineDescriptionSchema, NodeAvailabilitySchema, NodeRoleSchema, oneOf, printable } from '../swarm/request-schemas.js';
import { compileSchema, type SchemaIssue, type SchemaValidator } from '../validation/schema-validator.js';
import { issueText } from '../validation/issue-text.js';
import type { SchemaMatches } from '../validation/type-equality.js';
import type {
  HeartbeatReply,
  HeartbeatRequest,
  JoinReply,
  JoinRequest,
  LeaveRequest,
  RemoteManager,
  RenewReply,
  RenewRequest,
} from './protocol.js';

/**
 * Schemas of every swarm port body, both ways: the gateway checks what nodes send, the agent checks
 * what the manager answers. Requests refuse unknown properties: what a node sends is stored (the
 * description becomes the node's `Description`), so nothing beyond the protocol may ride along.
 */
export const SwarmPortLimits = {
  /** Largest body the swarm port reads; far below nats-server's default max_payload (1 MiB). */
  maxBody: 256 * 1024,
  /** A PEM P-256 CSR is about 500 bytes; room for any extension the CA would still refuse itself. */
  maxCsrPem: 8 * 1024,
  /** A PEM certificate (node or root CA). */
  maxCertPem: 16 * 1024,
  /** `SWMTKN-1-<50>-<25>` is 85 characters. */
  maxToken: 256,
  maxAddr: 300,
  /** Managers listed in a reply (Docker recommends at most 7). */
  maxManagers: 1000,
} as const;

const pem = (max: number) => Type.String({ minLength: 1, maxLength: max });
const nodeId = printable(64);
const addr = printable(SwarmPortLimits.maxAddr);
const heartbeatPeriodMs = Type.Integer({ minimum: 1, maximum: 24 * 3600 * 1000 });
const noOtherProperties = { additionalProperties: false } as const;

export const JoinRequestSchema = Type.Object(
  {
    token: printable(SwarmPortLimits.maxToken),
    csrPem: pem(SwarmPortLimits.maxCsrPem),
    availability: NodeAvailabilitySchema,
    advertiseAddr: Type.Optional(addr),
    description: EngineDescriptionSchema,
  },
  noOtherProperties,
);
export const RenewRequestSchema = Type.Object({ csrPem: pem(SwarmPortLimits.maxCsrPem) }, noOtherProperties);
export const HeartbeatRequestSchema = Type.Object({}, noOtherProperties);
export const LeaveRequestSchema = Type.Object({}, noOtherProperties);

export const RemoteManagerSchema = Type.Object({ NodeID: nodeId, Addr: addr });
const managers = Type.Array(RemoteManagerSchema, { maxItems: SwarmPortLimits.maxManagers });
export const JoinReplySchema = Type.Object({
  nodeId,
  clusterId: nodeId,
  role: NodeRoleSchema,
  certPem: pem(SwarmPortLimits.maxCertPem),
  caPem: pem(SwarmPortLimits.maxCertPem),
  managers,
  heartbeatPeriodMs,
  nodeAddr: addr,
});
export const RenewReplySchema = Type.Object({ certPem: pem(SwarmPortLimits.maxCertPem), role: NodeRoleSchema });
export const HeartbeatReplySchema = Type.Object({
  role: NodeRoleSchema,
  managers,
  heartbeatPeriodMs,
  trustRootPem: Type.Optional(pem(SwarmPortLimits.maxCertPem)),
  rotationRootPem: Type.Optional(pem(SwarmPortLimits.maxCertPem)),
  renew: Type.Optional(oneOf<'rotation' | 'expiry-changed'>(['rotation', 'expiry-changed'])),
});

/**
 * The framing of an Engine API call forwarded through `SwarmPortPaths.enginePrefix`: a method the
 * Engine API knows, a path of printable ASCII, a bounded content type. The body is the Engine API's
 * to validate (it is replayed to it as is).
 */
export const EngineCallFramingSchema = Type.Object({
  method: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']),
  path: Type.String({ minLength: 1, maxLength: 8192, pattern: '^/[\\x21-\\x7e]*$' }),
  contentType: Type.Optional(printable(256)),
});

export const SwarmPortSchemas = {
  joinRequest: compileSchema(JoinRequestSchema),
  renewRequest: compileSchema(RenewRequestSchema),
  heartbeatRequest: compileSchema(HeartbeatRequestSchema),
  leaveRequest: compileSchema(LeaveRequestSchema),
  joinReply: compileSchema(JoinReplySchema),
  renewReply: compileSchema(RenewReplySchema),
  heartbeatReply: compileSchema(HeartbeatReplySchema),
  engineCall: compileSchema(EngineCallFramingSchema),
} as const;

/**
 * The text of a refused swarm port body, for our own protocol (not Docker's): what the body is,
 * then where and what is wrong, e.g. `invalid join request: description.hostname must be string`.
 */
export function swarmPortIssueText(what: string, issue: SchemaIssue): string {
  return `invalid ${what}: ${issueText(issue)}`;
}

/**
 * Parses and checks a swarm port body: the value, or the text saying why it is refused. A body that
 * is not JSON is named as such, never with the parser's own words.
 */
export function parseSwarmPortBody<T>(what: string, body: Buffer | string, validate: SchemaValidator<T>): { value: T } | { refusal: string } {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return { refusal: `invalid ${what}: the body is empty, a JSON object is expected` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refusal: `invalid ${what}: the body is not valid JSON` };
  }
  const issue = validate.issue(value);
  return issue ? { refusal: swarmPortIssueText(what, issue) } : { value: value as T };
}

const _join: SchemaMatches<Static<typeof JoinRequestSchema>, JoinRequest> = true;
const _renew: SchemaMatches<Static<typeof RenewRequestSchema>, RenewRequest> = true;
const _heartbeat: SchemaMatches<Static<typeof HeartbeatRequestSchema>, HeartbeatRequest> = true;
const _leave: SchemaMatches<Static<typeof LeaveRequestSchema>, LeaveRequest> = true;
const _manager: SchemaMatches<Static<typeof RemoteManagerSchema>, RemoteManager> = true;
const _joinReply: SchemaMatches<Static<typeof JoinReplySchema>, JoinReply> = true;
const _renewReply: SchemaMatches<Static<typeof RenewReplySchema>, RenewReply> = true;
const _heartbeatReply: SchemaMatches<Static<typeof HeartbeatReplySchema>, HeartbeatReply> = true;
void [_join, _renew, _heartbeat, _leave, _manager, _joinReply, _renewReply, _heartbeatReply];
