import net from 'node:net';
import type { Endpoint } from './engine-client.js';

/**
 * A minimal HTTP/1.1 keep-alive client for load: one socket, one request in flight, a fixed GET
 * written as one buffer, the answer framed by Content-Length or chunked encoding. Node's own
 * http client costs a few hundred microseconds of CPU per request on a small machine, which would
 * measure the client rather than the server; this one costs a few tens.
 */
export class RawHttpConnection {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (status: number) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  private readonly request: Buffer;
  connectionsOpened = 0;

  constructor(
    private readonly endpoint: Endpoint,
    path: string,
    private readonly timeoutMs = 10_000,
  ) {
    const host = endpoint.kind === 'unix' ? 'localhost' : `${endpoint.host}:${endpoint.port}`;
    this.request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: swarmplane-bench\r\nAccept: */*\r\n\r\n`, 'latin1');
  }

  /** Sends the GET and resolves with the status once the whole answer is read. */
  get(): Promise<number> {
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    const socket = this.socket ?? this.connect();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending = { resolve, reject, timer };
      socket.write(this.request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    this.connectionsOpened++;
    this.buffer = Buffer.alloc(0);
    const socket =
      this.endpoint.kind === 'unix' ? net.connect({ path: this.endpoint.socketPath }) : net.connect({ host: this.endpoint.host, port: this.endpoint.port });
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
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    if (lengthMatch) {
      end = headerEnd + 4 + Number(lengthMatch[1]);
      if (buffer.length < end) return;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const found = chunkedEnd(buffer, headerEnd + 4);
      if (found < 0) return;
      end = found;
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
      pending.resolve(status);
    }
  }
}

/** Where a chunked body ends (after the last CRLF), or -1 while incomplete. */
function chunkedEnd(buffer: Buffer, start: number): number {
  let position = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', position);
    if (lineEnd < 0) return -1;
    const size = parseInt(buffer.toString('latin1', position, lineEnd), 16);
    if (Number.isNaN(size)) return -1;
    if (size === 0) {
      // No trailers: the terminating CRLF follows at once.
      return buffer.length >= lineEnd + 4 ? lineEnd + 4 : -1;
    }
    position = lineEnd + 2 + size + 2;
    if (buffer.length < position) return -1;
  }
}
