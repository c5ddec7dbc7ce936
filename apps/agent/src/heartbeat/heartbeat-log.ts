import { meansNodeRemoved } from '../swarm-port-client/port-errors.js';

/**
 * What to log about heartbeats: a line when they start failing (or fail differently) and one when
 * they work again, not one per beat. Returns the line to log, if any.
 */
export class HeartbeatLog {
  private failing: string | undefined;

  succeeded(): string | undefined {
    if (this.failing === undefined) return undefined;
    this.failing = undefined;
    return 'heartbeats reach the manager again';
  }

  failed(what: 'heartbeat' | 'renewal', error: unknown): string | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const line = meansNodeRemoved(error)
      ? `${what} refused (${message}): the manager no longer knows this node (removed, or its swarm is gone); it still reports active, as the Engine does, until "docker swarm leave"`
      : `${what} failed: ${message}`;
    if (line === this.failing) return undefined;
    this.failing = line;
    return line;
  }
}
