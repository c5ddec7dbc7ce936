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
 * `unmatched`) and status, and logs it with its correlation id: server errors at `error`, refused
 * changes (4xx: they leave no event, the line is their only trace) at `info`, reads and changes
 * made at `debug`, as dockerd logs its API calls. A change made is in the event log with the same
 * correlation id (`GET /audit/events?correlationId=`), and an `info` line per create cost the
 * gateway a fifth of its CPU (redaction and the write). Series are cached per label set, so that
 * a request costs a map lookup and a few additions.
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
    const level = status >= 500 ? 'error' : status >= 400 && !READS.has(method) ? 'info' : 'debug';
    if (logger.isLevelEnabled(level)) {
      logger[level]({ correlationId: request.id, method, route, url: request.url, status, ms: Math.round(ms * 1000) / 1000 }, 'request');
    }
    done();
  });
}
