import type { FastifyReply } from 'fastify';

/**
 * `GET|HEAD /_ping` as the Engine answers it: `OK` (no body for HEAD), no caching, and the
 * `Swarm` header (`inactive`, `pending`, `active/manager`, `active/worker`).
 */
export function sendPing(reply: FastifyReply, swarm: string, head: boolean): void {
  void reply
    .header('Cache-Control', 'no-cache, no-store, must-revalidate')
    .header('Pragma', 'no-cache')
    .header('Swarm', swarm)
    .header('Content-Type', 'text/plain; charset=utf-8');
  if (head) void reply.header('Content-Length', '0').send();
  else void reply.send('OK');
}
