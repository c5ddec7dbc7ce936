import { generalizedTime, sequence, utcTime, type Asn1 } from './der-build.js';

const MINUTE_MS = 60_000;

/** Go's time.Round(time.Minute): to the nearest minute, halfway rounds up. */
export function roundToMinute(instant: Date): Date {
  return new Date(Math.round(instant.getTime() / MINUTE_MS) * MINUTE_MS);
}

export function addMilliseconds(instant: Date, milliseconds: number): Date {
  return new Date(instant.getTime() + milliseconds);
}

export function daysToMs(days: number): number {
  return days * 24 * 60 * MINUTE_MS;
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
export function validity(notBefore: Date, notAfter: Date): Asn1 {
  return sequence([x509Time(notBefore), x509Time(notAfter)]);
}

function x509Time(instant: Date): Asn1 {
  const digits = instant.toISOString().replace(/\.\d{3}Z$/, '').replace(/[-T:]/g, '');
  return instant.getUTCFullYear() < 2050 ? utcTime(`${digits.slice(2)}Z`) : generalizedTime(`${digits}Z`);
}
