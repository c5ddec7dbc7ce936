import { DomainError, SwarmErrors } from '#contracts';
import type { FastifyReply } from 'fastify';

/** What `/_ping` knows of the process's dependencies (see libs/observability's HealthProbe). */
export interface PingHealth {
  readonly healthy: boolean;
  readonly failures: readonly string[];
  /**
   * The bus and the store answer but a service does not (no replica running): Docker's 503, as
   * the requests that need the service answer meanwhile, rather than a System error's 500.
   */
  readonly unavailable?: boolean;
}

/**
 * `GET|HEAD /_ping` as the Engine answers it: `OK` (no body for HEAD), no caching, and the
 * `Swarm` header (`inactive`, `pending`, `active/manager`, `active/worker`). When `health` says a
 * dependency is down it throws a System error instead: 500 and `{"message": ...}` through the
 * Docker error filter, which the docker CLI prints; 503 when only services are missing.
 */
export function sendPing(reply: FastifyReply, swarm: string, head: boolean, health?: PingHealth): void {
  if (health && !health.healthy) {
    const message = `the control plane is unhealthy: ${health.failures.join('; ')}`;
    throw new DomainError(health.unavailable ? { code: 'ServiceUnavailable', kind: 'Unavailable', message } : SwarmErrors.system(message));
  }
  void reply
    .header('Cache-Control', 'no-cache, no-store, must-revalidate')
    .header('Pragma', 'no-cache')
    .header('Swarm', swarm)
    .header('Content-Type', 'text/plain; charset=utf-8');
  if (head) void reply.header('Content-Length', '0').send();
  else void reply.send('OK');
}
