import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#eventstore';
import { EVENT_STORE } from '#service-host';
import { dashboardTokenFile, loadOrCreateDashboardToken, parseDashboardAddr } from './dashboard-config.js';
import { LiveFeed } from './live-feed.js';
import { PageAuth } from './page-auth.js';
import { parseLogPoint, viewAt } from './time-machine.js';

/** The page's bundle, built by `npm run build` (scripts/build-dashboard.mjs) beside the compiled gateway. */
const BUNDLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
/** Everything the page loads comes from this listener: no CDN, no inline script. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * The read-only dashboard on its own loopback listener (`DASHBOARD_ADDR`), inside the gateway
 * process: it reads the gateway's read model and the log, and writes nothing.
 */
@Injectable()
export class DashboardServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dashboard');
  private server: http.Server | undefined;
  private auth: PageAuth | undefined;

  constructor(
    @Inject(LiveFeed) private readonly feed: LiveFeed,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A wrong address is a configuration error the gateway refuses to start with.
    const address = parseDashboardAddr(process.env.DASHBOARD_ADDR);
    if (!address) return;
    const server = http.createServer((request, response) => void this.handle(request, response));
    try {
      this.auth = new PageAuth(loadOrCreateDashboardToken(dashboardTokenFile()), address.port);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.port, address.host, () => resolve());
      });
    } catch (error) {
      // The Engine API goes on without its dashboard rather than stopping the control plane.
      this.logger.error(`dashboard not served on ${address.host}:${address.port}: ${(error as Error).message}`);
      return;
    }
    this.server = server;
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    this.logger.log(`Dashboard listening on http://${host}:${address.port}/ (token in ${dashboardTokenFile()})`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://dashboard');
      const auth = this.auth!;
      const { ok, viaQuery } = auth.check(request, url);
      if (!ok) return auth.refuse(response);
      if (request.method !== 'GET' && request.method !== 'HEAD') return text(response, 405, 'the dashboard is read-only\n');
      if (viaQuery && url.pathname === '/') return auth.redirectWithCookie(response, url);
      await this.route(request, url, response);
    } catch (error) {
      this.logger.error(`dashboard: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) text(response, 500, 'internal error\n');
      else response.end();
    }
  }

  private async route(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    switch (url.pathname) {
      case '/api/live':
        return request.method === 'GET' ? this.feed.open(response) : text(response, 405, 'GET only\n');
      case '/api/view':
        return json(response, 200, this.feed.view());
      case '/api/head':
        return json(response, 200, { head: await this.store.headPosition() });
      case '/api/at': {
        const point = parseLogPoint(url.searchParams);
        if (typeof point === 'string') return json(response, 400, { message: point });
        // A page that moved the slider on has closed this request: its replay stops with it.
        const gone = new AbortController();
        response.on('close', () => gone.abort());
        const answer = await viewAt(this.store, point, gone.signal);
        return answer ? json(response, 200, answer) : undefined;
      }
      default: {
        const asset = ASSETS[url.pathname];
        if (!asset) return text(response, 404, 'not found\n');
        return serveAsset(response, asset);
      }
    }
  }
}

async function serveAsset(response: ServerResponse, file: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readFile(path.join(BUNDLE_DIR, file));
  } catch {
    return text(response, 503, 'the dashboard bundle is not built: run `npm run build`\n');
  }
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  response.end(body);
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
  response.end(`${JSON.stringify(value)}\n`);
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(body);
}
