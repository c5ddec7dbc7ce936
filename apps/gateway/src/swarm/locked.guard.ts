import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LockState } from './lock-state.js';

/**
 * What a locked manager still answers, as the Engine does: the engine's own endpoints, the unlock
 * itself, init (already part of a swarm) and leave (which needs `--force`), the network list
 * (empty: this engine has no local networks), the Docker events and this engine's own audit API
 * and metrics, which show no secret. Paths are already without their `/v1.NN` prefix.
 */
const OPEN_WHEN_LOCKED: readonly RegExp[] = [
  /^(GET|HEAD) \/_ping$/,
  /^GET \/(version|info|events|metrics|networks)$/,
  /^POST \/swarm\/(unlock|init|leave)$/,
  /^GET \/audit(\/.*)?$/,
];

/** Every other Engine API call of a locked manager answers 503 "Swarm is encrypted and needs to be unlocked ...". */
@Injectable()
export class LockedGuard implements CanActivate {
  constructor(@Inject(LockState) private readonly lock: LockState) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || !this.lock.locked) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const call = `${request.method} ${path.length > 1 ? path.replace(/\/+$/, '') : path}`;
    if (!OPEN_WHEN_LOCKED.some((open) => open.test(call))) this.lock.assertUnlocked();
    return true;
  }
}
