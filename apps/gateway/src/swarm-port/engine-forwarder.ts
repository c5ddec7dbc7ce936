import http from 'node:http';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import { Injectable } from '@nestjs/common';
import { engineTlsServerOptions } from '#engine-http';
import { gatewayListenPlan } from '../engine-listen-config.js';

/** Writes an answer straight to the caller's response (streamed answers such as /events). */
export type PipeReply = (res: ServerResponse) => Promise<void>;

/**
 * Answers an Engine API call made by a manager agent exactly as the gateway's own Engine API
 * answers it: the call is replayed against the gateway's listener on loopback and the answer is
 * piped back as it comes, so streamed answers (`/events`) stream through the swarm port too.
 * Behind TLS the gateway shows its own certificate as the client's (see engineTarget).
 */
@Injectable()
export class EngineForwarder {
  private readonly target = engineTarget();

  forward(method: string, url: string, contentType: string | undefined, body: Buffer): PipeReply {
    return (res) =>
      new Promise<void>((resolve, reject) => {
        const request = this.target.request(
          {
            ...this.target.options,
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

/**
 * How to reach this gateway's own listener: its unix socket, its TCP port on loopback, or over TLS
 * with the server's own key and certificate as client credentials (the server certificate must then
 * also allow clientAuth, as the one `npm run certs` makes does; the host name is not checked, the
 * peer is this process).
 */
function engineTarget(): { request: typeof http.request; options: http.RequestOptions } {
  const plan = gatewayListenPlan();
  if (plan.kind === 'unix') return { request: http.request, options: { socketPath: plan.path, agent: new http.Agent({ keepAlive: true }) } };
  const host = plan.host === '0.0.0.0' || plan.host === '::' ? '127.0.0.1' : plan.host;
  if (!plan.tls) return { request: http.request, options: { host, port: plan.port, agent: new http.Agent({ keepAlive: true }) } };
  const { ca, cert, key } = engineTlsServerOptions(plan.tls);
  const agent = new https.Agent({ keepAlive: true, ca, cert, key, checkServerIdentity: () => undefined });
  return { request: https.request as typeof http.request, options: { host, port: plan.port, agent } };
}
