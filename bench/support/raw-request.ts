import net from 'node:net';
import tls from 'node:tls';
import type { Endpoint } from './engine-client.js';

export interface RawResponse {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * A minimal HTTP/1.1 client for load, for any method and body: one keep-alive socket
 * (TCP, unix or TLS), one request in flight, the request written as one buffer, the answer framed
 * by Content-Length or chunked encoding and returned with its body. A few tens of microseconds of
 * client CPU per request, where Node's http/https clients cost a few hundred.
 */
export class RawConnection {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (response: RawResponse) => void; reject: (error: Error) => void; timer: NodeJS.Timeout; noBody: boolean } | undefined;
  /** Sockets opened (a TLS handshake each, on the swarm port). */
  connectionsOpened = 0;

  constructor(
    private readonly open: () => net.Socket,
    private readonly hostHeader: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** The Engine API of `endpoint` (TCP or unix socket). */
  static engine(endpoint: Endpoint, timeoutMs?: number): RawConnection {
    return endpoint.kind === 'unix'
      ? new RawConnection(() => net.connect({ path: endpoint.socketPath }), 'localhost', timeoutMs)
      : new RawConnection(() => net.connect({ host: endpoint.host, port: endpoint.port }), `${endpoint.host}:${endpoint.port}`, timeoutMs);
  }

  /** HTTPS: the server is verified as `tls` says (ca, servername, or rejectUnauthorized: false). */
  static tls(host: string, port: number, options: tls.ConnectionOptions, timeoutMs?: number): RawConnection {
    return new RawConnection(() => tls.connect({ host, port, ...options }), `${host}:${port}`, timeoutMs);
  }

  request(method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<RawResponse> {
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nUser-Agent: swarmplane-bench\r\nAccept: */*\r\n` +
      (payload === undefined ? (method === 'POST' || method === 'PUT' ? 'Content-Length: 0\r\n' : '') : `Content-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n`) +
      '\r\n';
    const wire = payload === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), payload]);
    const socket = this.socket ?? this.connect();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending = { resolve, reject, timer, noBody: method === 'HEAD' };
      socket.write(wire);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    this.connectionsOpened++;
    this.buffer = Buffer.alloc(0);
    const socket = this.open();
    socket.setNoDelay(true);
    // Events of a socket this connection has already dropped are ignored.
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', (error) => {
      if (this.socket === socket) this.fail(error);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.fail(new Error('connection closed'));
    });
    this.socket = socket;
    return socket;
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.close();
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  private parse(): void {
    const buffer = this.buffer;
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = buffer.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const bodyStart = headerEnd + 4;
    let end: number;
    let body: Buffer;
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (this.pending?.noBody || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      end = bodyStart;
      body = Buffer.alloc(0);
    } else if (lengthMatch) {
      end = bodyStart + Number(lengthMatch[1]);
      if (buffer.length < end) return;
      body = buffer.subarray(bodyStart, end);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const decoded = dechunk(buffer, bodyStart);
      if (!decoded) return;
      ({ end, body } = decoded);
    } else {
      this.fail(new Error(`HTTP ${status} without Content-Length or chunked body`));
      return;
    }
    const keepAlive = !/\r\nconnection:\s*close/i.test(head);
    this.buffer = buffer.subarray(end);
    const pending = this.pending;
    this.pending = undefined;
    if (!keepAlive) this.close();
    if (pending) {
      clearTimeout(pending.timer);
      pending.resolve({ status, body: Buffer.from(body) });
    }
  }
}

/** A complete chunked body (no trailers) and where it ends, or undefined while incomplete. */
function dechunk(buffer: Buffer, start: number): { end: number; body: Buffer } | undefined {
  const parts: Buffer[] = [];
  let position = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', position);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', position, lineEnd), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return buffer.length >= lineEnd + 4 ? { end: lineEnd + 4, body: Buffer.concat(parts) } : undefined;
    const dataStart = lineEnd + 2;
    position = dataStart + size + 2;
    if (buffer.length < position) return undefined;
    parts.push(buffer.subarray(dataStart, dataStart + size));
  }
}
