import { createServer, type Server } from 'node:http';
import { renderMetrics } from './metrics.js';

/**
 * `GET /metrics` on its own port for a process without an HTTP API (the services), at
 * `METRICS_ADDR` (`host:port`). Resolves once listening; `close()` it on shutdown.
 */
export async function startMetricsServer(addr: string): Promise<Server> {
  const colon = addr.lastIndexOf(':');
  const host = colon > 0 ? addr.slice(0, colon) : '127.0.0.1';
  const port = Number(colon >= 0 ? addr.slice(colon + 1) : addr);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_ADDR: bad port in ${JSON.stringify(addr)}`);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '/').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    renderMetrics().then(
      ({ contentType, body }) => response.writeHead(200, { 'Content-Type': contentType }).end(body),
      (error: unknown) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return server;
}
