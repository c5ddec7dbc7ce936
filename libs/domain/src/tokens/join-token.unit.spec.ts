import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError } from '#contracts';
import { caDigestBase36, formatJoinToken, joinTokensMatch, parseJoinToken, secretBase36 } from './join-token.js';

const DOCKER_ROOT_CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBaTCCARCgAwIBAgIUfF5mTq/vObe7EWH7NuFZIU6DxmQwCgYIKoZIzj0EAwIw',
  'EzERMA8GA1UEAxMIc3dhcm0tY2EwHhcNMjYxMTI2MjI1MzAwWhcNNDYxMTIxMjI1',
  'MzAwWjATMREwDwYDVQQDEwhzd2FybS1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH',
  'A0IABBTGlJdrhDAC1sYfH6Y2UpFIM+eZfDA751GiX0AI2AN5Y96xZr/vNUQVqB8W',
  'WI7JInOYfzH3AlaOniTk2lyAcBGjQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMB',
  'Af8EBTADAQH/MB0GA1UdDgQWBBRKOMkxcV0gZ847pijHa/comSYJxDAKBggqhkjO',
  'PQQDAgNHADBEAiAIxFiUPsTmBqPQL6R3oyvSgrt7MbueaB7RqAG4/sqR3wIgRji/',
  'JfhlL/VSesKB4fXU0/UcWjmuqfHO5kCrZ7PsKQg=',
  '-----END CERTIFICATE-----',
  '',
].join('\n');
const DOCKER_DIGEST = '5rggx5o4ze7wdz2hwof6fywea9o90jlv39m94mba4fisr527px';
const DOCKER_TOKEN = `SWMTKN-1-${DOCKER_DIGEST}-3m2ciqb0s8fz8g30ms3f68bch`;

function assertInvalidJoinToken(token: string): void {
  assert.throws(
    () => parseJoinToken(token),
    (error: unknown) =>
      error instanceof DomainError && error.code === 'InvalidJoinToken' && error.message === 'invalid join token',
    token,
  );
}

describe('caDigestBase36', () => {
  it("matches Docker's digest for its root CA", () => {
    assert.equal(caDigestBase36(DOCKER_ROOT_CA_PEM), DOCKER_DIGEST);
  });

  it('hashes the exact bytes: dropping the trailing newline changes the digest', () => {
    assert.notEqual(caDigestBase36(DOCKER_ROOT_CA_PEM.trimEnd()), DOCKER_DIGEST);
  });

  it('is always 50 characters', () => {
    for (const pem of ['', 'a', 'b', DOCKER_ROOT_CA_PEM]) assert.equal(caDigestBase36(pem).length, 50);
  });
});

describe('secretBase36', () => {
  it('pads small values with zeros to 25 characters', () => {
    assert.equal(secretBase36(new Uint8Array(16)), '0'.repeat(25));
    const one = new Uint8Array(16);
    one[15] = 35;
    assert.equal(secretBase36(one), `${'0'.repeat(24)}z`);
  });

  it('reads the bytes big-endian', () => {
    const high = new Uint8Array(16);
    high[0] = 1;
    assert.equal(secretBase36(high), (1n << 120n).toString(36).padStart(25, '0'));
  });

  it('fits the largest 128-bit value in 25 characters', () => {
    assert.equal(secretBase36(new Uint8Array(16).fill(0xff)), 'f5lxx1zz5pnorynqglhzmsp33');
  });

  it('rejects secrets that are not 16 bytes', () => {
    assert.throws(() => secretBase36(new Uint8Array(15)), RangeError);
  });
});

describe('formatJoinToken and parseJoinToken', () => {
  it("parses Docker's token; the digest is the SHA-256 of the root CA PEM", () => {
    assert.deepEqual(parseJoinToken(DOCKER_TOKEN), {
      version: 1,
      fips: false,
      digestBase36: DOCKER_DIGEST,
      caDigestHex: createHash('sha256').update(DOCKER_ROOT_CA_PEM).digest('hex'),
      secret: '3m2ciqb0s8fz8g30ms3f68bch',
    });
  });

  it('round-trips format and parse', () => {
    const token = formatJoinToken(DOCKER_DIGEST, '3m2ciqb0s8fz8g30ms3f68bch');
    assert.equal(token, DOCKER_TOKEN);
    assert.equal(parseJoinToken(token).secret, '3m2ciqb0s8fz8g30ms3f68bch');
  });

  it('pads a small digest to 64 hex digits', () => {
    const parsed = parseJoinToken(formatJoinToken(`${'0'.repeat(49)}1`, 'a'.repeat(25)));
    assert.equal(parsed.caDigestHex, `${'0'.repeat(63)}1`);
  });

  it('accepts version 2 tokens and reports the FIPS flag', () => {
    const rest = `${DOCKER_DIGEST}-3m2ciqb0s8fz8g30ms3f68bch`;
    assert.deepEqual([parseJoinToken(`SWMTKN-2-1-${rest}`).version, parseJoinToken(`SWMTKN-2-1-${rest}`).fips], [2, true]);
    assert.equal(parseJoinToken(`SWMTKN-2-0-${rest}`).fips, false);
    assertInvalidJoinToken(`SWMTKN-2-2-${rest}`);
  });

  it('rejects malformed tokens', () => {
    const rest = `${DOCKER_DIGEST}-3m2ciqb0s8fz8g30ms3f68bch`;
    for (const token of [
      'SWMTKN-1-abc',
      'notatoken',
      '',
      `SWMTKN-2-${rest}`,
      `SWMTKN-3-${rest}`,
      `swmtkn-1-${rest}`,
      `${DOCKER_TOKEN}x`,
      `SWMTKN-1-${DOCKER_DIGEST}x-3m2ciqb0s8fz8g30ms3f68bch`,
      `SWMTKN-1-extra-${rest}`,
    ]) {
      assertInvalidJoinToken(token);
    }
  });

  it('rejects a 50-digit digest larger than 256 bits', () => {
    assertInvalidJoinToken(formatJoinToken('z'.repeat(50), 'a'.repeat(25)));
  });

  it('decodes an invalid base-36 digest leniently, as a value that cannot match', () => {
    const prefix = '5rggx';
    const parsed = parseJoinToken(formatJoinToken(`${prefix}!${'0'.repeat(44)}`, 'a'.repeat(25)));
    assert.equal(parsed.caDigestHex, BigInt(parseInt(prefix, 36)).toString(16).padStart(64, '0'));
    assert.equal(parseJoinToken(formatJoinToken(`_${'1'.repeat(49)}`, 'a'.repeat(25))).caDigestHex, '0'.repeat(64));
  });

  it('decodes every valid prefix length like a digit-by-digit base-36 reading', () => {
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
    const reference = (text: string): bigint => {
      let value = 0n;
      for (const char of text) {
        const digit = digits.indexOf(char.toLowerCase());
        if (digit < 0) break;
        value = value * 36n + BigInt(digit);
      }
      return value;
    };
    for (let valid = 0; valid <= 49; valid++) {
      const text = Array.from({ length: 50 }, (_, i) => (i < valid ? digits[(i * 7 + valid) % 20]! : i === valid ? '-' : '0')).join('').replace('-', '!');
      const expected = reference(text).toString(16).padStart(64, '0');
      assert.equal(parseJoinToken(formatJoinToken(text, 'a'.repeat(25))).caDigestHex, expected, text);
    }
  });

  it('reads base-36 letters in either case, as Go does', () => {
    const upper = parseJoinToken(formatJoinToken(DOCKER_DIGEST.toUpperCase(), 'a'.repeat(25)));
    assert.equal(upper.caDigestHex, parseJoinToken(DOCKER_TOKEN).caDigestHex);
  });
});

describe('joinTokensMatch', () => {
  it('compares whole tokens', () => {
    assert.equal(joinTokensMatch(DOCKER_TOKEN, `${DOCKER_TOKEN}`), true);
    assert.equal(joinTokensMatch(DOCKER_TOKEN, DOCKER_TOKEN.replace(/h$/, 'i')), false);
  });

  it('answers false for different lengths', () => {
    assert.equal(joinTokensMatch(DOCKER_TOKEN, `${DOCKER_TOKEN}x`), false);
    assert.equal(joinTokensMatch('', DOCKER_TOKEN), false);
  });
});
