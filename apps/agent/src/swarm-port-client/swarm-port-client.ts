import https from 'node:https';
import { Injectable } from '@nestjs/common';
import { DomainError, SwarmErrors, SwarmPortPaths, SWARM_PORT_SERVER_NAME, type ErrorKind, type JoinReply, type JoinRequest } from '#contracts';

export interface PortAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** TLS material for a call: the CA to verify the manager with, and our certificate for mTLS. */
export interface PortTls {
  readonly caPem?: string;
  readonly keyPem?: string;
  readonly certPem?: string;
}

const KIND_BY_STATUS: Record<number, ErrorKind> = { 400: 'InvalidParameter', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 503: 'Unavailable' };

/** The agent's side of the manager's swarm port (libs/contracts/src/swarm-port/protocol.ts). */
@Injectable()
export class SwarmPortClient {
  /** The root CA PEM, fetched without verifying the server: the caller checks it against the token. */
  async rootCa(remoteAddr: string): Promise<string> {
    const answer = await this.call(remoteAddr, 'GET', SwarmPortPaths.rootCa, undefined, {});
    if (answer.status !== 200) throw errorOf(answer);
    return answer.body.toString('utf8');
  }

  async join(remoteAddr: string, request: JoinRequest, caPem: string): Promise<JoinReply> {
    const answer = await this.call(remoteAddr, 'POST', SwarmPortPaths.join, Buffer.from(JSON.stringify(request)), { caPem });
    if (answer.status !== 200) throw errorOf(answer);
    return JSON.parse(answer.body.toString('utf8')) as JoinReply;
  }

  /** A JSON call authenticated by our certificate. */
  async callAsNode<T>(remoteAddr: string, path: string, body: unknown, tls: PortTls): Promise<T> {
    const answer = await this.call(remoteAddr, 'POST', path, Buffer.from(JSON.stringify(body ?? {})), tls);
    if (answer.status !== 200) throw errorOf(answer);
    return JSON.parse(answer.body.toString('utf8')) as T;
  }

  /** An Engine API call forwarded to the control plane with a manager certificate. */
  forward(remoteAddr: string, method: string, url: string, body: Buffer | undefined, contentType: string | undefined, tls: PortTls): Promise<PortAnswer> {
    return this.call(remoteAddr, method, `${SwarmPortPaths.enginePrefix}${url}`, body, tls, contentType);
  }

  private call(remoteAddr: string, method: string, path: string, body: Buffer | undefined, tls: PortTls, contentType = 'application/json'): Promise<PortAnswer> {
    const colon = remoteAddr.lastIndexOf(':');
    const host = remoteAddr.slice(0, colon);
    const port = Number(remoteAddr.slice(colon + 1));
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          host,
          port,
          method,
          path,
          servername: SWARM_PORT_SERVER_NAME,
          agent: false,
          timeout: 10_000,
          ...(tls.caPem ? { ca: tls.caPem } : { rejectUnauthorized: false }),
          ...(tls.keyPem && tls.certPem ? { key: tls.keyPem, cert: tls.certPem } : {}),
          headers: body ? { 'content-type': contentType, 'content-length': body.length } : {},
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? 'application/json'), body: Buffer.concat(chunks) }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', (error: NodeJS.ErrnoException) => reject(unavailable(remoteAddr, error)));
      request.end(body);
    });
  }
}

/** The Engine's text when the manager cannot be reached (gRPC's Unavailable, HTTP 503). */
function unavailable(remoteAddr: string, error: NodeJS.ErrnoException): DomainError {
  const reason = error.code === 'ECONNREFUSED' ? 'connect: connection refused' : error.message;
  return new DomainError({
    code: 'Unavailable',
    kind: 'Unavailable',
    message: `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp ${remoteAddr}: ${reason}"`,
  });
}

function errorOf(answer: PortAnswer): DomainError {
  let message = answer.body.toString('utf8');
  try {
    message = (JSON.parse(message) as { message: string }).message;
  } catch {
    // not JSON: keep the text
  }
  return new DomainError({ ...SwarmErrors.system(message), kind: KIND_BY_STATUS[answer.status] ?? 'System', code: `Remote${answer.status}` });
}
