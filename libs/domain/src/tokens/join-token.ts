import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, SwarmErrors } from '#contracts';

/** swarmkit's join token layout: `SWMTKN-1-<root CA digest, base 36>-<secret, base 36>`. */
const PREFIX = 'SWMTKN';
const DIGEST_BASE36_LENGTH = 50;
const SECRET_BASE36_LENGTH = 25;
const DIGEST_HEX_LENGTH = 64;

export interface ParsedJoinToken {
  readonly version: 1 | 2;
  /** Only version 2 tokens can set it. */
  readonly fips: boolean;
  readonly digestBase36: string;
  /** SHA-256 of the root CA PEM, 64 lowercase hex digits. */
  readonly caDigestHex: string;
  readonly secret: string;
}

/** SHA-256 over the exact PEM bytes (trailing newline included), in base 36 padded to 50. */
export function caDigestBase36(rootCaPem: string): string {
  const hex = createHash('sha256').update(rootCaPem, 'utf8').digest('hex');
  return BigInt(`0x${hex}`).toString(36).padStart(DIGEST_BASE36_LENGTH, '0');
}

/** The 16 secret bytes as a big-endian unsigned integer in base 36, padded to 25. */
export function secretBase36(secret16Bytes: Uint8Array): string {
  if (secret16Bytes.length !== 16) throw new RangeError('a join token secret is 16 bytes');
  let value = 0n;
  for (const byte of secret16Bytes) value = (value << 8n) | BigInt(byte);
  return value.toString(36).padStart(SECRET_BASE36_LENGTH, '0');
}

export function formatJoinToken(digest50: string, secret25: string): string {
  return `${PREFIX}-1-${digest50}-${secret25}`;
}

/** swarmkit's ParseJoinToken rules; every format failure is `InvalidJoinToken`. */
export function parseJoinToken(token: string): ParsedJoinToken {
  const parts = token.split('-');
  if (parts.length < 4 || parts[0] !== PREFIX) throw invalidJoinToken();
  const { version, fips } = versionOf(parts);
  const secret = parts[parts.length - 1] ?? '';
  const digestBase36 = parts[parts.length - 2] ?? '';
  if (digestBase36.length !== DIGEST_BASE36_LENGTH || secret.length !== SECRET_BASE36_LENGTH) throw invalidJoinToken();
  const caDigestHex = lenientBase36(digestBase36).toString(16).padStart(DIGEST_HEX_LENGTH, '0');
  // 50 base-36 digits can exceed 2^256; swarmkit then fails to parse the digest. We call it invalid.
  if (caDigestHex.length !== DIGEST_HEX_LENGTH) throw invalidJoinToken();
  return { version, fips, digestBase36, caDigestHex, secret };
}

function versionOf(parts: readonly string[]): { version: 1 | 2; fips: boolean } {
  if (parts[1] === '1' && parts.length === 4) return { version: 1, fips: false };
  if (parts[1] === '2' && parts.length === 5 && (parts[2] === '0' || parts[2] === '1')) {
    return { version: 2, fips: parts[2] === '1' };
  }
  throw invalidJoinToken();
}

/**
 * Decodes like Go's big.Int.SetString(s, 36) leaves its receiver, which swarmkit does not check:
 * an optional '+', letters in either case, and on the first invalid character the value of the
 * valid prefix (0 if there is none). Such a digest never matches a real CA, so the token is
 * rejected later by the comparison, not here.
 */
function lenientBase36(text: string): bigint {
  // Ten digits at a time in a Number (36^10 < 2^53): five BigInt steps for a digest, not fifty.
  let value = 0n;
  let chunk = 0;
  let scale = 1;
  for (let i = text.startsWith('+') ? 1 : 0; i < text.length; i++) {
    const digit = base36Digit(text.charCodeAt(i));
    if (digit < 0) break;
    chunk = chunk * 36 + digit;
    scale *= 36;
    if (scale === 36 ** 10) {
      value = value * BigInt(scale) + BigInt(chunk);
      chunk = 0;
      scale = 1;
    }
  }
  return scale === 1 ? value : value * BigInt(scale) + BigInt(chunk);
}

/** 0-9, a-z and A-Z as 0-35; -1 for anything else. */
function base36Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return -1;
}

/** Constant-time for equal lengths; different lengths answer false after the same amount of work. */
export function joinTokensMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

function invalidJoinToken(): DomainError {
  return new DomainError(SwarmErrors.invalidJoinToken());
}
