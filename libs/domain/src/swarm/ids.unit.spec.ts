import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { swarmIdFromBytes } from './ids.js';

const ID = /^[0-9a-z]{25}$/;

describe('swarmIdFromBytes', () => {
  it('gives 25 characters of [0-9a-z] for random bytes', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = swarmIdFromBytes(randomBytes(16));
      assert.match(id, ID);
    }
  });

  it('gives 25 zeros for zero bytes', () => {
    assert.equal(swarmIdFromBytes(new Uint8Array(16)), '0'.repeat(25));
  });

  it('gives the base 36 of 2^128-1 for all-0xff bytes, still 25 characters', () => {
    const id = swarmIdFromBytes(new Uint8Array(16).fill(0xff));
    assert.equal(id, ((1n << 128n) - 1n).toString(36));
    assert.equal(id, 'f5lxx1zz5pnorynqglhzmsp33');
    assert.equal(id.length, 25);
  });

  it('reads the bytes big-endian and left-pads with zeros', () => {
    const low = new Uint8Array(16);
    low[15] = 35;
    assert.equal(swarmIdFromBytes(low), `${'0'.repeat(24)}z`);
    const high = new Uint8Array(16);
    high[0] = 1;
    assert.equal(swarmIdFromBytes(high), (1n << 120n).toString(36).padStart(25, '0'));
  });

  it('is the BigInt base 36 of the bytes, for random bytes and for each single byte set', () => {
    const reference = (bytes: Uint8Array) => {
      let value = 0n;
      for (const byte of bytes) value = (value << 8n) | BigInt(byte);
      return value.toString(36).padStart(25, '0');
    };
    for (let i = 0; i < 2000; i += 1) {
      const bytes = randomBytes(16);
      assert.equal(swarmIdFromBytes(bytes), reference(bytes));
    }
    for (let at = 0; at < 16; at += 1) {
      for (const value of [1, 0x7f, 0x80, 0xff]) {
        const bytes = new Uint8Array(16);
        bytes[at] = value;
        assert.equal(swarmIdFromBytes(bytes), reference(bytes), `byte ${at} = ${value}`);
      }
    }
  });

  it('is a pure function of the bytes', () => {
    const bytes = randomBytes(16);
    assert.equal(swarmIdFromBytes(bytes), swarmIdFromBytes(Uint8Array.from(bytes)));
  });
});
