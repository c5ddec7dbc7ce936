import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './dashboard-config.js';

/**
 * Who may read the dashboard: whoever shows its token, in the `token` query parameter (the URL
 * `npm start` prints), an `Authorization: Bearer` header, or the cookie set on the first visit.
 * The cookie is HttpOnly and SameSite=Strict, and named after the port: cookies are shared by
 * every port of a host.
 */
export class PageAuth {
  readonly cookieName: string;

  constructor(
    private readonly token: string,
    port: number,
  ) {
    this.cookieName = `swarmplane_dashboard_${port}`;
  }

  /** Whether the request carries the token; `viaQuery` when it came in the URL. */
  check(request: IncomingMessage, url: URL): { ok: boolean; viaQuery: boolean } {
    const query = url.searchParams.get('token') ?? undefined;
    if (query !== undefined) return { ok: tokenMatches(this.token, query), viaQuery: true };
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return { ok: tokenMatches(this.token, bearer), viaQuery: false };
    return { ok: tokenMatches(this.token, this.cookieOf(request)), viaQuery: false };
  }

  /** Sets the cookie and sends the page to the same URL without the token (out of history and logs). */
  redirectWithCookie(response: ServerResponse, url: URL): void {
    url.searchParams.delete('token');
    response.writeHead(303, {
      Location: `${url.pathname}${url.search}`,
      'Set-Cookie': `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    response.end();
  }

  refuse(response: ServerResponse): void {
    response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="swarmplane dashboard"' });
    response.end(
      'The swarmplane dashboard needs its access token: open the URL that `npm start` printed ' +
        '(http://127.0.0.1:2380/?token=...); the token is in data/dashboard-token.\n',
    );
  }

  private cookieOf(request: IncomingMessage): string | undefined {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return undefined;
  }
}
