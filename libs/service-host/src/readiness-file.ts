import { rmSync, writeFileSync } from 'node:fs';
import type { Observable } from 'rxjs';

/**
 * The health signal of a service that has no HTTP port (containers run `dist/scripts/healthcheck.js`
 * against it): while the service is connected to NATS, `file` holds its PID; the file is removed
 * as soon as the connection drops or is re-established elsewhere, and when the process exits.
 * `status` is the NestJS microservice's status stream (`connected`, `disconnected`, `reconnecting`).
 */
export function publishReadiness(file: string, status: Observable<string>): { stop(): void } {
  const remove = (): void => clearReadiness(file);
  const subscription = status.subscribe((state) => {
    if (state === 'connected') writeFileSync(file, `${process.pid}\n`);
    else remove();
  });
  process.once('exit', remove);
  return {
    stop() {
      subscription.unsubscribe();
      process.off('exit', remove);
      remove();
    },
  };
}

/**
 * Removes the file before the service connects. Hazard: a container restarted in place keeps its
 * /tmp, and the file of the previous run names PID 1 as the new process does, so a stale file would
 * pass the health check before the new process is connected. (A process killed by a signal, as
 * NestJS's shutdown hooks end it, does not run its `exit` listeners.)
 */
export function clearReadiness(file: string): void {
  rmSync(file, { force: true });
}
