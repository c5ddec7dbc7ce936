import { DomainError, SwarmErrors } from '#contracts';
import type { FastifyReply } from 'fastify';

/** What `/_ping` knows of the process's dependencies (see libs/runtime's HealthProbe). */
export interface PingHealth {
  readonly healthy: boolean;
  readonly failures: readonly string[];
}

/**
 * `GET|HEAD /_ping` as the Engine answers it: `OK` (no body for HEAD), no caching, and the
 * `Swarm` header (`inactive`, `pending`, `active/manager`, `active/worker`). When `health` says a
 * dependency is down it throws a System error instead: 500 and `{"message": ...}` through the
 * Docker error filter, which the docker CLI prints.
 */
export function sendPing(reply: FastifyReply, swarm: string, head: boolean, health?: PingHealth): void {
  if (health && !health.healthy) {
    throw new DomainError(SwarmErrors.system(`the control plane is unhealthy: ${health.failures.join('; ')}`));
  }
  void reply
    .header('Cache-Control', 'no-cache, no-store, must-revalidate')
    .header('Pragma', 'no-cache')
    .header('Swarm', swarm)
    .header('Content-Type', 'text/plain; charset=utf-8');
  if (head) void reply.header('Content-Length', '0').send();
  else void reply.send('OK');
}
