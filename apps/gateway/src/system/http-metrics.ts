import { Metrics } from '#observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
const READS = new Set(['GET', 'HEAD']);

interface Series {
  readonly requests: { inc(): void };
  readonly duration: { observe(seconds: number): void };
}

/**
 * Counts and times every response by method, route pattern (never the URL: `/nodes/:id`, or
 * `unmatched`) and status, and logs it with its correlation id: changes and server errors at
 * `info`/`error`, reads at `debug` (reads are the hot path). Series are cached per label set, so
 * that a request costs a map lookup and a few additions.
 */
export function instrumentHttp(fastify: FastifyInstance, logger: Logger): void {
  const series = new Map<string, Series>();
  const seriesOf = (method: string, route: string, status: number): Series => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      found = {
        requests: Metrics.httpRequests.child({ method, route, status: String(status) }),
        duration: Metrics.httpDuration.child({ method, route }),
      };
      series.set(key, found);
    }
    return found;
  };
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const { requests, duration } = seriesOf(method, route, status);
    requests.inc();
    duration.observe(ms / 1000);
    const level = status >= 500 ? 'error' : READS.has(method) ? 'debug' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level]({ correlationId: request.id, method, route, url: request.url, status, ms: Math.round(ms * 1000) / 1000 }, 'request');
    }
    done();
  });
}
