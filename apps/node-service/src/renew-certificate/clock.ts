/** The time, injected so that renewal can be shown under a clock a test moves (never by waiting). */
export interface Clock {
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
