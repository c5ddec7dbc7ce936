import { rmSync, writeFileSync } from 'node:fs';
import type { Observable } from 'rxjs';

/**
 * The health signal of a service that has no HTTP port (containers run `dist/scripts/healthcheck.js`
 * against it): while the service is connected to NATS, `file` holds its PID; the file is removed
 * as soon as the connection drops or is re-established elsewhere, and when the process exits.
 * `status` is the NestJS microservice's status stream (`connected`, `disconnected`, `reconnecting`).
 */
export function publishReadiness(file: string, status: Observable<string>): { stop(): void } {
  const remove = (): void => rmSync(file, { force: true });
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
