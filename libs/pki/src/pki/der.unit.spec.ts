import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { encode, namedBits, oid, preEncoded, unsignedInteger } from './der-build.js';
import { oidOf } from './der-read.js';
import { distinguishedNameDer } from './names.js';
import { roundToMinute, validity } from './validity.js';

const hex = (bytes: Buffer): string => bytes.toString('hex');

describe('DER building', () => {
  it('encodes unsigned integers minimally', () => {
    assert.equal(hex(encode(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])))), '02017f');
    assert.equal(hex(encode(unsignedInteger(Buffer.from([0x80])))), '02020080');
    assert.equal(hex(encode(unsignedInteger(Buffer.from([0x00])))), '020100');
  });

  it('encodes named bits as Go does', () => {
    assert.equal(hex(encode(namedBits([5, 6]))), '03020106');
    assert.equal(hex(encode(namedBits([0, 2]))), '030205a0');
  });

  it('re-encodes embedded DER byte for byte', () => {
    const spki = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(encode(preEncoded(spki)), spki);
  });

  it('writes names with PrintableString, or UTF8String when needed', () => {
    assert.equal(distinguishedNameDer([{ type: 'CN', value: 'swarm-ca' }]).toString('base64'), 'MBMxETAPBgNVBAMTCHN3YXJtLWNh');
    assert.equal(distinguishedNameDer([{ type: 'CN', value: 'a_b' }])[11], 0x0c);
  });
});

describe('validity', () => {
  it("rounds like Go's time.Round(time.Minute)", () => {
    assert.equal(roundToMinute(new Date('2026-01-01T00:00:29.999Z')).toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(roundToMinute(new Date('2026-01-01T00:00:30.000Z')).toISOString(), '2026-01-01T00:01:00.000Z');
  });

  it('uses UTCTime before 2050 and GeneralizedTime from 2050', () => {
    const encoded = hex(encode(validity(new Date('2049-12-31T23:59:59Z'), new Date('2050-01-01T00:00:00Z'))));
    assert.equal(encoded, `3020170d${Buffer.from('491231235959Z').toString('hex')}180f${Buffer.from('20500101000000Z').toString('hex')}`);
  });
});

describe('object identifiers', () => {
  it('reads back what it writes', () => {
    for (const dotted of ['1.2.840.10045.4.3.2', '2.5.29.14', '1.3.6.1.5.5.7.3.2', '2.999.3', '0.9.2342.19200300.100.1.1']) {
      const der = encode(oid(dotted));
      assert.equal(oidOf(der.subarray(2)), dotted);
    }
  });

  it('refuses a truncated identifier', () => {
    assert.throws(() => oidOf(Buffer.from([0x2a, 0x86])), /truncated/);
  });
});
