import http from 'node:http';
import { elapsedMs } from './stats.js';

/** Where an Engine API listens: `tcp://host:port` (or http://) or `unix:///path`. Loopback only. */
export type Endpoint =
  | { readonly kind: 'tcp'; readonly dockerHost: string; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly dockerHost: string; readonly socketPath: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseDockerHost(dockerHost: string): Endpoint {
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error(`DOCKER_HOST ${dockerHost}: the socket path must be absolute`);
    return { kind: 'unix', dockerHost, socketPath };
  }
  const match = /^(?:tcp|http):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(dockerHost);
  if (!match) throw new Error(`DOCKER_HOST ${dockerHost}: expected tcp://host:port or unix:///path`);
  const host = match[1] ?? '';
  if (!LOOPBACK.has(host)) throw new Error(`DOCKER_HOST ${dockerHost}: the bench only talks to loopback addresses`);
  return { kind: 'tcp', dockerHost: `tcp://${host}:${match[2]}`, host: host.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export interface EngineResponse {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/**
 * A small Engine API client over keep-alive connections, for TCP and unix sockets alike, which
 * counts the connections it opens (to show that keep-alive held).
 */
export class EngineClient {
  readonly agent: http.Agent;
  connectionsOpened = 0;
  /** The API version prefix used by `api()`; set by `negotiate()`. */
  apiVersion = '1.47';

  constructor(
    readonly endpoint: Endpoint,
    maxSockets = 1,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
    const create = this.agent.createConnection.bind(this.agent);
    this.agent.createConnection = ((...args: Parameters<typeof create>) => {
      this.connectionsOpened++;
      return create(...args);
    }) as typeof this.agent.createConnection;
  }

  /** `GET /_ping` tells the engine's API version; use the lower of it and `max` (like the CLI). */
  async negotiate(max = '1.47'): Promise<string> {
    const { status, headers } = await this.raw('GET', '/_ping');
    if (status !== 200) throw new Error(`${this.endpoint.dockerHost}: GET /_ping answered ${status}`);
    const engine = typeof headers['api-version'] === 'string' ? headers['api-version'] : max;
    this.apiVersion = compareVersions(engine, max) < 0 ? engine : max;
    return this.apiVersion;
  }

  /** A request under `/v<apiVersion>`. */
  api(method: string, path: string, body?: unknown): Promise<EngineResponse> {
    return this.request(method, `/v${this.apiVersion}${path}`, body);
  }

  async request(method: string, path: string, body?: unknown): Promise<EngineResponse> {
    const start = process.hrtime.bigint();
    const { status, text } = await this.raw(method, path, body);
    return { status, text, ms: elapsedMs(start) };
  }

  raw(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          ...(this.endpoint.kind === 'unix'
            ? { socketPath: this.endpoint.socketPath, host: 'localhost' }
            : { host: this.endpoint.host, port: this.endpoint.port }),
          method,
          path,
          agent: this.agent,
          headers: {
            'User-Agent': 'swarmplane-bench',
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
          response.on('error', reject);
        },
      );
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
