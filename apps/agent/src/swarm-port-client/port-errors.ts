import { DomainError, SwarmPortRefusals, type ErrorKind } from '#contracts';
import { AgentErrors } from '../agent-errors.js';

/** A swarm port call answered with an error status; `message` is the manager's `{"message"}`. */
export class SwarmPortError extends DomainError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super({ code: `SwarmPort${status}`, kind: KIND_BY_STATUS[status] ?? 'System', message });
  }
}

const KIND_BY_STATUS: Readonly<Record<number, ErrorKind>> = {
  400: 'InvalidParameter',
  401: 'Forbidden',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  503: 'Unavailable',
};

/** The error a non-2xx answer stands for: its JSON `message`, or its text. */
export function remoteError(status: number, body: string): SwarmPortError {
  return new SwarmPortError(status, messageOf(body));
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message;
    }
  } catch {
    // not JSON: the text itself
  }
  return body.trim();
}

/** A heartbeat or renewal refused like this means the manager no longer knows the node (removed, or another swarm). */
export function meansNodeRemoved(error: unknown): boolean {
  return error instanceof SwarmPortError && (error.status === 401 || error.status === 403 || error.status === 404);
}

/**
 * The swarm port's own refusals of an Engine API call (the caller is not, or no longer, a manager
 * of this swarm), as opposed to a 403 the Engine API itself gives (e.g. an overlapping subnet).
 * The texts are the gateway's (apps/gateway/src/swarm-port/swarm-port.routes.ts).
 */
export const CONTROL_PLANE_REFUSALS: readonly string[] = [SwarmPortRefusals.notManager, SwarmPortRefusals.notMember];

export function isControlPlaneRefusal(status: number, body: string): boolean {
  return status === 403 && CONTROL_PLANE_REFUSALS.includes(messageOf(body));
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/** Node's socket and TLS errors in the words of Go's dialer and gRPC's TLS handshake (the Engine's texts). */
export function dialError(remoteAddr: string, error: { code?: string | undefined; message: string }): DomainError {
  const dial = `Error while dialing dial tcp ${remoteAddr}`;
  const code = error.code ?? '';
  if (UNKNOWN_AUTHORITY.has(code)) return unreachable('authentication handshake failed: x509: certificate signed by unknown authority');
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return unreachable('authentication handshake failed: x509: certificate has expired or is not yet valid');
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return unreachable('authentication handshake failed: x509: certificate is not valid for swarm-ca');
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    ETIMEDOUT: 'i/o timeout',
    EHOSTUNREACH: 'connect: no route to host',
    ENETUNREACH: 'connect: network is unreachable',
    ECONNRESET: 'read: connection reset by peer',
  };
  return unreachable(`${dial}: ${reasons[code] ?? error.message}`);
}

function unreachable(reason: string): DomainError {
  return new DomainError(AgentErrors.managerUnreachable(reason));
}
