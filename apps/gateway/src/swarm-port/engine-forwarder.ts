import http from 'node:http';
import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';

/** Writes an answer straight to the caller's response (streamed answers such as /events). */
export type PipeReply = (res: ServerResponse) => Promise<void>;

/**
 * Answers an Engine API call made by a manager agent exactly as the gateway's own Engine API
 * answers it: the call is replayed against the gateway's listener on loopback and the answer is
 * piped back as it comes, so streamed answers (`/events`) stream through the swarm port too.
 */
@Injectable()
export class EngineForwarder {
  private readonly target = (() => {
    const [host = '127.0.0.1', port = '2375'] = (process.env.GATEWAY_ADDR ?? '127.0.0.1:2375').split(':');
    return { host: host === '0.0.0.0' ? '127.0.0.1' : host, port: Number(port) };
  })();
  private readonly agent = new http.Agent({ keepAlive: true });

  forward(method: string, url: string, contentType: string | undefined, body: Buffer): PipeReply {
    return (res) =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(
          {
            ...this.target,
            agent: this.agent,
            method,
            path: url,
            headers: body.length > 0 ? { 'content-type': contentType ?? 'application/json', 'content-length': body.length } : {},
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, { 'Content-Type': String(answer.headers['content-type'] ?? 'application/json') });
            answer.pipe(res);
            answer.on('end', resolve);
            res.on('close', () => {
              answer.destroy();
              resolve();
            });
          },
        );
        request.on('error', reject);
        request.end(body.length > 0 ? body : undefined);
      });
  }
}
