import { DomainError, type NodeAvailability, SwarmErrors } from '#contracts';
import { decodeBody, SwarmJoinBody } from '#engine-http';
import { parseJoinToken } from '#domain';
import { AgentErrors } from '../agent-errors.js';
import { joinTarget, sanitizeSwarmAddr } from '../swarm-port-client/remote-address.js';

/** `POST /swarm/join`'s body (the Engine's `JoinRequest`). */
interface JoinSwarmBody {
  readonly ListenAddr?: unknown;
  readonly AdvertiseAddr?: unknown;
  readonly RemoteAddrs?: unknown;
  readonly JoinToken?: unknown;
  readonly Availability?: unknown;
}

/** A join the agent can attempt: checked in the Engine's order before anything is sent. */
export interface JoinPlan {
  /** host:port of the manager's swarm port. */
  readonly remoteAddr: string;
  /** Undefined when no token was given: the manager's refusal follows the CA download. */
  readonly token: { readonly text: string; readonly caDigestHex: string } | undefined;
  readonly availability: NodeAvailability;
  readonly advertiseAddr: string | undefined;
}

/**
 * The Engine's checks, in its order: addresses (400), availability (500), token format (500,
 * `invalid join token`). Whether a join is already under way or done is the caller's check.
 */
export function planJoin(rawBody: unknown): JoinPlan {
  const body: JoinSwarmBody = decodeBody(rawBody, SwarmJoinBody);
  sanitizeSwarmAddr('ListenAddr', text(body.ListenAddr));
  const remoteAddr = joinTarget(Array.isArray(body.RemoteAddrs) ? body.RemoteAddrs : null);
  const availability = parseAvailability(text(body.Availability));
  const tokenText = text(body.JoinToken);
  const token = tokenText === '' ? undefined : { text: tokenText, caDigestHex: parseJoinToken(tokenText).caDigestHex };
  const advertiseAddr = text(body.AdvertiseAddr);
  return { remoteAddr, token, availability, advertiseAddr: advertiseAddr === '' ? undefined : advertiseAddr };
}

/** The refusal for a join without a token, given once the manager was reached (as the Engine's comes from the manager). */
export function missingTokenError(): DomainError {
  return new DomainError(SwarmErrors.joinTokenRejected());
}

function parseAvailability(value: string): NodeAvailability {
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'active') return 'active';
  if (lower === 'pause' || lower === 'drain') return lower;
  throw new DomainError(AgentErrors.invalidAvailability(value));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
