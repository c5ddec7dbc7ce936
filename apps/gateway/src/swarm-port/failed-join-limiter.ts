import { DomainError } from '#contracts';

const WINDOW_MS = 60_000;
const MAX_FAILURES = 30;

/** Failed join attempts are counted per source address and limited (token guessing). */
export class FailedJoinLimiter {
  private readonly failures = new Map<string, number[]>();

  check(addr: string, now = Date.now()): void {
    const recent = (this.failures.get(addr) ?? []).filter((t) => now - t < WINDOW_MS);
    this.failures.set(addr, recent);
    if (recent.length >= MAX_FAILURES) {
      throw new DomainError({ code: 'TooManyFailedJoins', kind: 'Unavailable', message: 'too many failed join attempts from this address; try again later' });
    }
  }

  failed(addr: string, now = Date.now()): void {
    const recent = this.failures.get(addr) ?? [];
    recent.push(now);
    this.failures.set(addr, recent);
  }
}
