import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  DomainError,
  SwarmErrors,
  SwarmPortPaths,
  SwarmPortSchemas,
  SWARM_PORT_SERVER_NAME,
  parseSwarmPortBody,
  swarmPortIssueText,
  type SchemaValidator,
  type HeartbeatReply,
  type JoinReply,
  type JoinRequest,
  type RenewReply,
  type RenewRequest,
} from '#contracts';
import { dialError, remoteError } from './port-errors.js';
import { parseHostPort } from './remote-address.js';

/** What a joined node calls the manager with: where, the CA to verify it, its own key and certificate (mTLS). */
export interface NodeCredentials {
  readonly remoteAddr: string;
  readonly caPem: string;
  /**
   * During a root rotation, the root wanted (the manager names it in heartbeat replies): trusted
   * beside `caPem`, so that a node that misses a rotation's end still verifies a manager that has
   * moved on to the next rotation's certificate. Kept in memory only.
   */
  readonly pendingRootPem?: string | undefined;
  readonly keyPem: string;
  readonly certPem: string;
}

/** An Engine API call a manager agent makes on its user's behalf. */
export interface EngineCall {
  readonly method: string;
  /** Path and query, without the `/vX.Y` prefix. */
  readonly url: string;
  readonly contentType?: string | undefined;
  readonly body?: Buffer | undefined;
}

interface PortRequest {
  readonly remoteAddr: string;
  readonly method: string;
  readonly path: string;
  readonly body?: Buffer | undefined;
  readonly contentType?: string | undefined;
  /** Verify the manager against this CA with server name `swarm-ca`; absent only for the root CA download. */
  readonly caPem?: string;
  readonly client?: { readonly keyPem: string; readonly certPem: string };
}

/** Until the answer's headers arrive; for buffered calls until its body is read. */
const TIMEOUT_MS = 10_000;
/** Idle keep-alive sockets close before the server's (Node's default keepAliveTimeout is 5 s). */
const IDLE_SOCKET_MS = 4_000;

/**
 * The agent's side of the manager's swarm port (libs/contracts/src/swarm-port/protocol.ts), over
 * HTTPS with keep-alive. Sockets are pooled per TLS identity (Node keys its pool on CA, key and
 * certificate), so a renewed certificate never rides a connection made with the old one.
 */
@Injectable()
export class SwarmPortClient implements OnApplicationShutdown {
  private readonly agent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: 32 });

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  /** The root CA PEM, fetched without verifying the server: the caller checks it against its token. */
  async rootCa(remoteAddr: string): Promise<string> {
    const { status, body } = await this.buffered({ remoteAddr, method: 'GET', path: SwarmPortPaths.rootCa });
    if (status !== 200) throw remoteError(status, body);
    return body;
  }

  /** The join, verified against the CA that matched the token. */
  join(remoteAddr: string, request: JoinRequest, caPem: string): Promise<JoinReply> {
    sendable('join request', request, SwarmPortSchemas.joinRequest);
    return this.json({ remoteAddr, method: 'POST', path: SwarmPortPaths.join, caPem, body: jsonBody(request) }, 'join', SwarmPortSchemas.joinReply);
  }

  heartbeat(node: NodeCredentials): Promise<HeartbeatReply> {
    return this.json(asNode(node, SwarmPortPaths.heartbeat, {}), 'heartbeat', SwarmPortSchemas.heartbeatReply);
  }

  renew(node: NodeCredentials, csrPem: string): Promise<RenewReply> {
    const request: RenewRequest = { csrPem };
    sendable('renew request', request, SwarmPortSchemas.renewRequest);
    return this.json(asNode(node, SwarmPortPaths.renew, request), 'renewal', SwarmPortSchemas.renewReply);
  }

  async leave(node: NodeCredentials): Promise<void> {
    await this.json(asNode(node, SwarmPortPaths.leave, {}), 'leave', undefined);
  }

  /** An Engine API call sent to the control plane with a manager certificate; the answer streams as it comes. */
  forward(node: NodeCredentials, call: EngineCall): Promise<IncomingMessage> {
    return this.send(
      {
        remoteAddr: node.remoteAddr,
        method: call.method,
        path: `${SwarmPortPaths.enginePrefix}${call.url}`,
        body: call.body,
        contentType: call.contentType,
        caPem: trusted(node),
        client: { keyPem: node.keyPem, certPem: node.certPem },
      },
      false,
    );
  }

  /** A 2xx answer checked by its schema: a broken manager answer is a clear error, never a TypeError later. */
  private async json<T>(request: PortRequest, call: string, validate: SchemaValidator<T> | undefined): Promise<T> {
    const { status, body } = await this.buffered(request);
    if (status < 200 || status > 299) throw remoteError(status, body);
    if (!validate) return undefined as T;
    const reply = parseSwarmPortBody(`${call} reply`, body, validate);
    if ('refusal' in reply) throw new DomainError(SwarmErrors.system(`the manager at ${request.remoteAddr} sent an ${reply.refusal}`));
    return reply.value;
  }

  private async buffered(request: PortRequest): Promise<{ status: number; body: string }> {
    const response = await this.send(request, true);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response) chunks.push(chunk as Buffer);
    } catch (error) {
      throw dialError(request.remoteAddr, error as NodeJS.ErrnoException);
    }
    return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
  }

  /**
   * One request; a keep-alive socket the server closed just as we reused it is retried once on a
   * new one (the request never reached the server).
   */
  private send(request: PortRequest, bounded: boolean, retried = false): Promise<IncomingMessage> {
    const target = parseHostPort(request.remoteAddr);
    if (!target) return Promise.reject(dialError(request.remoteAddr, { message: `address ${request.remoteAddr}: missing port in address` }));
    return new Promise((resolve, reject) => {
      const outgoing = https.request(
        {
          host: target.host,
          port: target.port,
          method: request.method,
          path: request.path,
          servername: SWARM_PORT_SERVER_NAME,
          ...(request.caPem ? { agent: this.agent, ca: request.caPem } : { agent: false, rejectUnauthorized: false }),
          ...(request.client ? { key: request.client.keyPem, cert: request.client.certPem } : {}),
          headers: request.body ? { 'content-type': request.contentType ?? 'application/json', 'content-length': request.body.length } : {},
        },
        (response) => {
          if (!bounded) outgoing.setTimeout(0);
          resolve(response);
        },
      );
      outgoing.setTimeout(TIMEOUT_MS, () => outgoing.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && outgoing.reusedSocket && error.code === 'ECONNRESET') {
          this.send(request, bounded, true).then(resolve, reject);
          return;
        }
        reject(dialError(request.remoteAddr, error));
      });
      outgoing.end(request.body);
    });
  }
}

function asNode(node: NodeCredentials, path: string, body: unknown): PortRequest {
  return {
    remoteAddr: node.remoteAddr,
    method: 'POST',
    path,
    body: jsonBody(body),
    caPem: trusted(node),
    client: { keyPem: node.keyPem, certPem: node.certPem },
  };
}

/** The roots a node verifies its manager with: its trust root, and during a rotation the one wanted. */
function trusted(node: NodeCredentials): string {
  return node.pendingRootPem ? `${node.caPem}${node.pendingRootPem}` : node.caPem;
}

/** What the agent sends is checked by the schema the manager checks it with, so a bad value is our error, named here. */
function sendable<T>(what: string, value: T, validate: SchemaValidator<T>): void {
  const issue = validate.issue(value);
  if (issue) throw new DomainError(SwarmErrors.invalidParameter(swarmPortIssueText(what, issue)));
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
